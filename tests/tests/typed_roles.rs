//! Roles declared with `role!`, at run time: the constants they carry, the
//! capability markers they implement, and tokens typed by them.

use std::marker::PhantomData;

use huddle_auth::roles::{Bot, CoHost, Guest, Host, Listener, Speaker};
use huddle_auth::{
    can, role, AccessToken, ApiKey, Capability, Peer, Permissions, PermissionsPatch,
    ProduceSources, Role, SourcesPatch, StaticRole, TokenVerifier, VerifyError,
};

role! {
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
        canUpdateMetadata: false,
    }

    /// Every key written out, no base.
    #[role(name = "stage-bot")]
    pub struct StageBot {
        admin: false,
        canConsume: true,
        canProduce: false,
        canProduceSources: { cam: false, mic: false, screen: false },
        canSendData: false,
        canRecvData: true,
        canUpdateMetadata: false,
    }

    /// A listener that may share its screen and nothing else.
    pub struct Presenter: Listener {
        canProduce: true,
        canProduceSources: { screen: true },
    }

    /// No base: the default permissions, minus data messages.
    pub(crate) struct Audience {
        canSendData: false,
    }

    /// An admin without a camera.
    pub struct Chair: CoHost {
        canProduceSources: { cam: false },
    }
}

/// `patch` merged over `base`, the way the SDK merges permission overrides.
fn merged(base: Permissions, patch: PermissionsPatch) -> Permissions {
    patch.apply(base)
}

#[test]
fn names_and_permissions_follow_the_merge_rules() {
    assert_eq!(Moderator::NAME, "moderator");
    assert_eq!(
        Moderator::PERMISSIONS,
        merged(
            Role::Guest.permissions(),
            PermissionsPatch {
                can_produce_sources: SourcesPatch {
                    cam: Some(false),
                    ..SourcesPatch::default()
                },
                can_update_metadata: Some(false),
                ..PermissionsPatch::default()
            }
        )
    );

    assert_eq!(StageBot::NAME, "stage-bot");
    assert_eq!(
        StageBot::PERMISSIONS,
        Permissions {
            can_consume: true,
            can_recv_data: true,
            ..Permissions::NONE
        }
    );

    assert_eq!(Presenter::NAME, "presenter");
    assert_eq!(
        Presenter::PERMISSIONS,
        merged(
            Role::Listener.permissions(),
            PermissionsPatch {
                can_produce: Some(true),
                can_produce_sources: SourcesPatch {
                    screen: Some(true),
                    ..SourcesPatch::default()
                },
                ..PermissionsPatch::default()
            }
        )
    );

    assert_eq!(Audience::NAME, "audience");
    assert_eq!(
        Audience::PERMISSIONS,
        merged(
            Permissions::DEFAULT,
            PermissionsPatch {
                can_send_data: Some(false),
                ..PermissionsPatch::default()
            }
        )
    );

    assert_eq!(Chair::NAME, "chair");
    assert_eq!(
        Chair::PERMISSIONS,
        Permissions {
            can_produce_sources: ProduceSources {
                cam: false,
                mic: true,
                screen: true
            },
            ..Role::CoHost.permissions()
        }
    );
}

#[test]
fn generated_permissions_pass_the_runtime_rules() {
    for (name, permissions) in [
        (Moderator::NAME, Moderator::PERMISSIONS),
        (StageBot::NAME, StageBot::PERMISSIONS),
        (Presenter::NAME, Presenter::PERMISSIONS),
        (Audience::NAME, Audience::PERMISSIONS),
        (Chair::NAME, Chair::PERMISSIONS),
    ] {
        huddle_auth::rules::check_permissions(&permissions).expect("rules 1 and 2 hold");
        huddle_auth::rules::check_custom_role_name(name).expect("rule 3 holds");
    }
}

// Which markers a type implements, asked at run time: an inherent constant
// exists only when the bound holds, and otherwise the trait's default answers.
struct Probe<R>(PhantomData<R>);

// A default is read only for a type that lacks the marker, and every role
// probed here consumes, so `CONSUME`'s default is never read.
#[allow(dead_code)]
trait Lacks {
    const ADMIN: bool = false;
    const CONSUME: bool = false;
    const PRODUCE: bool = false;
    const PRODUCE_CAM: bool = false;
    const PRODUCE_MIC: bool = false;
    const PRODUCE_SCREEN: bool = false;
    const SEND_DATA: bool = false;
    const RECV_DATA: bool = false;
    const UPDATE_METADATA: bool = false;
}
impl<R> Lacks for Probe<R> {}

macro_rules! probe {
    ($($bound:ident => $constant:ident;)*) => {$(
        impl<R: can::$bound> Probe<R> {
            #[allow(dead_code)] // read through `markers!`, which rustc cannot see
            const $constant: bool = true;
        }
    )*};
}
probe! {
    Admin => ADMIN;
    Consume => CONSUME;
    Produce => PRODUCE;
    ProduceCam => PRODUCE_CAM;
    ProduceMic => PRODUCE_MIC;
    ProduceScreen => PRODUCE_SCREEN;
    SendData => SEND_DATA;
    RecvData => RECV_DATA;
    UpdateMetadata => UPDATE_METADATA;
}

/// The capabilities whose marker `$role` implements, in `Capability::ALL` order.
macro_rules! markers {
    ($role:ty) => {{
        let implemented = [
            (Capability::Admin, <Probe<$role>>::ADMIN),
            (Capability::Consume, <Probe<$role>>::CONSUME),
            (Capability::Produce, <Probe<$role>>::PRODUCE),
            (Capability::ProduceCam, <Probe<$role>>::PRODUCE_CAM),
            (Capability::ProduceMic, <Probe<$role>>::PRODUCE_MIC),
            (Capability::ProduceScreen, <Probe<$role>>::PRODUCE_SCREEN),
            (Capability::SendData, <Probe<$role>>::SEND_DATA),
            (Capability::RecvData, <Probe<$role>>::RECV_DATA),
            (Capability::UpdateMetadata, <Probe<$role>>::UPDATE_METADATA),
        ];
        implemented
            .into_iter()
            .filter_map(|(capability, yes)| yes.then_some(capability))
            .collect::<Vec<Capability>>()
    }};
}

fn granted<R: StaticRole>() -> Vec<Capability> {
    Capability::ALL
        .into_iter()
        .filter(|capability| capability.granted_by(&R::PERMISSIONS))
        .collect()
}

#[test]
fn markers_are_implemented_exactly_for_granted_capabilities() {
    use Capability::*;
    assert_eq!(markers!(Moderator), granted::<Moderator>());
    assert_eq!(
        markers!(Moderator),
        [
            Consume,
            Produce,
            ProduceMic,
            ProduceScreen,
            SendData,
            RecvData
        ]
    );
    assert_eq!(markers!(StageBot), granted::<StageBot>());
    assert_eq!(markers!(StageBot), [Consume, RecvData]);
    assert_eq!(markers!(Presenter), granted::<Presenter>());
    assert_eq!(
        markers!(Presenter),
        [
            Consume,
            Produce,
            ProduceScreen,
            SendData,
            RecvData,
            UpdateMetadata
        ]
    );
    assert_eq!(markers!(Audience), granted::<Audience>());
    assert_eq!(markers!(Chair), granted::<Chair>());
    assert!(markers!(Chair).contains(&Admin));

    assert_eq!(markers!(Host), granted::<Host>());
    assert_eq!(markers!(Host), Capability::ALL);
    assert_eq!(markers!(CoHost), granted::<CoHost>());
    assert_eq!(markers!(Speaker), granted::<Speaker>());
    assert!(!markers!(Speaker).contains(&ProduceCam));
    assert_eq!(markers!(Listener), granted::<Listener>());
    assert_eq!(markers!(Guest), granted::<Guest>());
    assert_eq!(markers!(Bot), granted::<Bot>());
    assert_eq!(markers!(Bot), [Consume]);
}

#[test]
fn predefined_role_types_equal_the_sdk_table() {
    // ROLE_PERMISSIONS of @huddle01/server-sdk 2.6.2, written out.
    let all = ProduceSources::ALL;
    let none = ProduceSources::NONE;
    let sdk = |admin, consume, produce, sources, send, recv, metadata| Permissions {
        admin,
        can_consume: consume,
        can_produce: produce,
        can_produce_sources: sources,
        can_send_data: send,
        can_recv_data: recv,
        can_update_metadata: metadata,
    };
    let speaker_sources = ProduceSources {
        cam: false,
        mic: true,
        screen: true,
    };
    #[rustfmt::skip]
    let table = [
        (Host::NAME, Host::PERMISSIONS, "host", sdk(true, true, true, all, true, true, true)),
        (CoHost::NAME, CoHost::PERMISSIONS, "coHost", sdk(true, true, true, all, true, true, true)),
        (Speaker::NAME, Speaker::PERMISSIONS, "speaker", sdk(false, true, true, speaker_sources, true, true, true)),
        (Listener::NAME, Listener::PERMISSIONS, "listener", sdk(false, true, false, none, true, true, true)),
        (Guest::NAME, Guest::PERMISSIONS, "guest", sdk(false, true, true, all, true, true, true)),
        (Bot::NAME, Bot::PERMISSIONS, "bot", sdk(false, true, false, none, false, false, false)),
    ];
    for (name, permissions, sdk_name, sdk_permissions) in table {
        assert_eq!(name, sdk_name);
        assert_eq!(permissions, sdk_permissions, "{name}");
        let role = Role::from_wire(name).expect("a predefined wire name");
        assert_eq!(permissions, role.permissions(), "{name}");
    }
    assert_eq!(Guest::PERMISSIONS, Permissions::DEFAULT);
}

const SECRET: &str = "a test secret that is long enough for HS256";

fn key() -> ApiKey {
    ApiKey::new("ak_typed_roles", SECRET).expect("a valid API key")
}

fn verifier() -> TokenVerifier {
    TokenVerifier::new()
        .with_api_key(&key())
        .expect("the key is accepted")
}

/// Capability-gated: only roles that may share their screen get here.
fn screen_share_label<R: can::ProduceScreen>(peer: &Peer<R>) -> String {
    format!("screen-share-{}", peer.peer_id())
}

#[test]
fn a_typed_role_mints_and_verifies_as_itself() {
    let key = key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .peer_id("peer-7")
        .to_jwt()
        .expect("mint");

    let peer = verifier()
        .verify_as::<Moderator, serde_json::Value>(&token)
        .expect("a moderator token verifies as a moderator");
    assert_eq!(peer.role(), Some("moderator"));
    assert_eq!(*peer.permissions(), Moderator::PERMISSIONS);
    assert!(!peer.may_produce("video"));
    assert!(peer.may_produce("screen-share-1"));
    assert_eq!(screen_share_label(&peer), "screen-share-peer-7");

    // The same through `Claims::narrow`.
    let claims = verifier()
        .verify::<serde_json::Value>(&token)
        .expect("verifies");
    let narrowed: Peer<Moderator> = claims.narrow().expect("narrows to its own role");
    assert_eq!(narrowed.peer_id(), "peer-7");
}

#[test]
fn a_token_with_fewer_permissions_still_narrows() {
    let key = key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .permissions(PermissionsPatch {
            can_send_data: Some(false),
            ..PermissionsPatch::default()
        })
        .to_jwt()
        .expect("mint");
    let peer = verifier()
        .verify_as::<Moderator, serde_json::Value>(&token)
        .expect("granting less than the role is fine");
    assert!(!peer.may_send_data());
}

#[test]
fn narrowing_to_another_role_is_a_role_mismatch() {
    let key = key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .to_jwt()
        .expect("mint");
    let error = verifier()
        .verify_as::<StageBot, serde_json::Value>(&token)
        .expect_err("a moderator is not a stage bot");
    assert_eq!(
        error,
        VerifyError::RoleMismatch {
            expected: "stage-bot",
            found: Some("moderator".to_owned()),
        }
    );

    let untyped = AccessToken::new(&key, "room-1").to_jwt().expect("mint");
    let claims = verifier()
        .verify::<serde_json::Value>(&untyped)
        .expect("verifies");
    assert!(matches!(
        claims.narrow::<Moderator>(),
        Err(VerifyError::RoleMismatch {
            expected: "moderator",
            found: None
        })
    ));
}

#[test]
fn a_token_granting_more_than_its_role_exceeds_it() {
    let key = key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .permissions(PermissionsPatch {
            can_produce_sources: SourcesPatch {
                cam: Some(true),
                ..SourcesPatch::default()
            },
            ..PermissionsPatch::default()
        })
        .to_jwt()
        .expect("the override itself breaks no rule");
    let claims = verifier()
        .verify::<serde_json::Value>(&token)
        .expect("verifies as plain claims");
    assert!(matches!(
        claims.narrow::<Moderator>(),
        Err(VerifyError::ExceedsRole { role: "moderator" })
    ));
    assert!(matches!(
        verifier().verify_as::<Moderator, serde_json::Value>(&token),
        Err(VerifyError::ExceedsRole { role: "moderator" })
    ));
}

/// The checked-in expansion of `Moderator` (examples/expanded/moderator.rs)
/// compiles and means what the macro means.
mod expanded {
    include!("../../examples/expanded/moderator.rs");
}

#[test]
fn the_checked_in_expansion_matches_the_macro() {
    assert_eq!(expanded::Moderator::NAME, Moderator::NAME);
    assert_eq!(expanded::Moderator::PERMISSIONS, Moderator::PERMISSIONS);
    assert_eq!(markers!(expanded::Moderator), markers!(Moderator));
    let constructed = expanded::Moderator;
    assert_eq!(format!("{constructed:?}"), format!("{Moderator:?}"));
}
