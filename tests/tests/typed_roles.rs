//! Roles declared with `role!`, at run time: the constants they carry, the
//! capability markers they implement, and tokens typed by them.

use std::marker::PhantomData;

use huddle_auth::roles::{Bot, CoHost, Guest, Host, Listener, Speaker};
use huddle_auth::{
    can, role, AccessToken, Capability, Peer, Permissions, PermissionsPatch, ProduceSources, Role,
    SourcesPatch, StaticRole, VerifyError,
};
// The two roles of DESIGN.md, beside three of this file's own.
use huddle_auth_tests::fixtures::{api_key, mint_overridden, verifier, Moderator, StageBot};

role! {
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

/// Two roles with the wire name of `Moderator`, declared apart, as two
/// modules of one program may: the macro cannot see both, the verifier must
/// tell them apart.
mod a {
    huddle_auth::role! {
        pub struct Moderator: CoHost {
            canProduceSources: { cam: false },
        }
    }
}
mod b {
    huddle_auth::role! {
        pub struct Moderator: Listener {}
    }
}

/// Permissions written key by key, in wire order.
#[allow(clippy::too_many_arguments, clippy::fn_params_excessive_bools)]
const fn literal(
    admin: bool,
    consume: bool,
    produce: bool,
    cam: bool,
    mic: bool,
    screen: bool,
    send: bool,
    recv: bool,
    update_metadata: bool,
) -> Permissions {
    Permissions {
        admin,
        can_consume: consume,
        can_produce: produce,
        can_produce_sources: ProduceSources { cam, mic, screen },
        can_send_data: send,
        can_recv_data: recv,
        can_update_metadata: update_metadata,
    }
}

#[test]
#[rustfmt::skip]
fn names_and_permissions_follow_the_merge_rules() {
    // Each role's base from the SDK table, with the role's keys written over it.
    let table = [
        //                                         admin  cons   prod   cam    mic    screen send   recv   meta
        (Moderator::NAME, Moderator::PERMISSIONS, "moderator", literal(false, true, true, false, true, true, true, true, false)),
        (StageBot::NAME, StageBot::PERMISSIONS, "stage-bot", literal(false, true, false, false, false, false, false, true, false)),
        (Presenter::NAME, Presenter::PERMISSIONS, "presenter", literal(false, true, true, false, false, true, true, true, true)),
        (Audience::NAME, Audience::PERMISSIONS, "audience", literal(false, true, true, true, true, true, false, true, true)),
        (Chair::NAME, Chair::PERMISSIONS, "chair", literal(true, true, true, false, true, true, true, true, true)),
        (a::Moderator::NAME, a::Moderator::PERMISSIONS, "moderator", literal(true, true, true, false, true, true, true, true, true)),
        (b::Moderator::NAME, b::Moderator::PERMISSIONS, "moderator", literal(false, true, false, false, false, false, true, true, true)),
    ];
    for (name, permissions, expected_name, expected) in table {
        assert_eq!(name, expected_name);
        assert_eq!(permissions, expected, "{name}");
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

#[test]
fn markers_are_implemented_exactly_for_granted_capabilities() {
    use Capability::*;
    #[rustfmt::skip]
    let table: [(&str, Vec<Capability>, &[Capability]); 11] = [
        ("Moderator", markers!(Moderator), &[Consume, Produce, ProduceMic, ProduceScreen, SendData, RecvData]),
        ("StageBot", markers!(StageBot), &[Consume, RecvData]),
        ("Presenter", markers!(Presenter), &[Consume, Produce, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("Audience", markers!(Audience), &[Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, RecvData, UpdateMetadata]),
        ("Chair", markers!(Chair), &[Admin, Consume, Produce, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("Host", markers!(Host), &[Admin, Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("CoHost", markers!(CoHost), &[Admin, Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("Speaker", markers!(Speaker), &[Consume, Produce, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("Listener", markers!(Listener), &[Consume, SendData, RecvData, UpdateMetadata]),
        ("Guest", markers!(Guest), &[Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata]),
        ("Bot", markers!(Bot), &[Consume]),
    ];
    for (role, implemented, expected) in table {
        assert_eq!(implemented, expected, "{role}");
    }
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

/// Capability-gated: only roles that may share their screen get here.
fn screen_share_label<R: can::ProduceScreen>(peer: &Peer<R>) -> String {
    format!("screen-share-{}", peer.peer_id())
}

/// Typed metadata, as an app declares it.
#[derive(Debug, serde::Deserialize, PartialEq)]
struct Wallet {
    #[serde(rename = "walletAddress")]
    address: String,
}

#[test]
fn a_typed_role_mints_and_verifies_as_itself() -> Result<(), Box<dyn std::error::Error>> {
    let key = api_key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .peer_id("peer-7")
        .to_jwt()?;

    // Neither call names a metadata type.
    let peer = verifier().verify_as::<Moderator>(&token)?;
    assert_eq!(peer.role(), Some("moderator"));
    assert_eq!(*peer.permissions(), Moderator::PERMISSIONS);
    assert!(!peer.may_produce("video"));
    assert!(peer.may_produce("screen-share-1"));
    assert_eq!(screen_share_label(&peer), "screen-share-peer-7");

    // The same through `Claims::narrow`.
    let claims = verifier().verify(&token)?;
    let narrowed: Peer<Moderator> = claims.narrow()?;
    assert_eq!(narrowed.peer_id(), "peer-7");
    Ok(())
}

#[test]
fn a_peer_with_typed_metadata_meets_a_capability_bound() -> Result<(), Box<dyn std::error::Error>> {
    let key = api_key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .peer_id("peer-8")
        .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
        .to_jwt()?;
    let claims = verifier().verify_with_metadata::<Wallet>(&token)?;
    assert_eq!(
        claims.metadata().map(|w| w.address.as_str()),
        Some("mizanxali.eth")
    );
    let peer = claims.narrow::<Moderator>()?;
    assert_eq!(screen_share_label(&peer), "screen-share-peer-8");
    assert_eq!(
        peer.metadata_as::<Wallet>()?,
        Some(Wallet {
            address: "mizanxali.eth".to_owned()
        })
    );
    assert_eq!(
        peer.metadata(),
        Some(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
    );
    Ok(())
}

#[test]
fn a_token_with_fewer_permissions_than_its_role_does_not_narrow() {
    let token = mint_overridden(
        Moderator,
        PermissionsPatch {
            can_send_data: Some(false),
            ..PermissionsPatch::default()
        },
    );
    assert_eq!(
        verifier().verify_as::<Moderator>(&token).err(),
        Some(VerifyError::PermissionMismatch {
            role: "moderator",
            field: "canSendData".to_owned(),
            found: false,
            expected: true,
        })
    );
}

#[test]
fn overrides_that_take_away_admin_and_produce_are_refused() {
    // The case: `kick<R: can::Admin>` must never see this token as admin.
    let token = mint_overridden(
        a::Moderator,
        PermissionsPatch {
            admin: Some(false),
            can_produce: Some(false),
            can_produce_sources: SourcesPatch {
                cam: Some(false),
                mic: Some(false),
                screen: Some(false),
            },
            ..PermissionsPatch::default()
        },
    );
    let error = verifier()
        .verify_as::<a::Moderator>(&token)
        .expect_err("not a moderator's permissions");
    assert_eq!(
        error,
        VerifyError::PermissionMismatch {
            role: "moderator",
            field: "admin".to_owned(),
            found: false,
            expected: true,
        }
    );
    assert_eq!(
        error.to_string(),
        "permissions.admin: the token has false, the role \"moderator\" has true; \
         a token narrows to a role type only with exactly that role's permissions"
    );
}

#[test]
fn a_role_type_of_the_same_wire_name_elsewhere_does_not_narrow() {
    let key = api_key();
    let listener_like = AccessToken::new(&key, "room-1")
        .role(b::Moderator)
        .to_jwt()
        .expect("mint");
    assert_eq!(
        verifier().verify_as::<a::Moderator>(&listener_like).err(),
        Some(VerifyError::PermissionMismatch {
            role: "moderator",
            field: "admin".to_owned(),
            found: false,
            expected: true,
        })
    );
    // The refusal hands the claims back: the next role is tried without a clone.
    let claims = verifier().verify(&listener_like).expect("verifies");
    let peer = match claims.narrow::<a::Moderator>() {
        Ok(_) => panic!("b::Moderator is not a::Moderator"),
        Err(refused) => refused
            .into_claims()
            .narrow::<b::Moderator>()
            .expect("it is b::Moderator"),
    };
    assert_eq!(*peer.permissions(), b::Moderator::PERMISSIONS);
}

#[test]
fn narrowing_to_another_role_is_a_role_mismatch() {
    let key = api_key();
    let token = AccessToken::new(&key, "room-1")
        .role(Moderator)
        .to_jwt()
        .expect("mint");
    let error = verifier()
        .verify_as::<StageBot>(&token)
        .expect_err("a moderator is not a stage bot");
    assert_eq!(
        error,
        VerifyError::RoleMismatch {
            expected: "stage-bot",
            found: Some("moderator".to_owned()),
        }
    );

    let untyped = AccessToken::new(&key, "room-1").to_jwt().expect("mint");
    let claims = verifier().verify(&untyped).expect("verifies");
    let (claims, error) = claims
        .narrow::<Moderator>()
        .expect_err("no role is not moderator")
        .into_parts();
    assert_eq!(
        error,
        VerifyError::RoleMismatch {
            expected: "moderator",
            found: None
        }
    );
    assert_eq!(claims.role(), None);
}

#[test]
fn a_token_granting_more_than_its_role_does_not_narrow() {
    // The override itself breaks no rule.
    let token = mint_overridden(
        Moderator,
        PermissionsPatch {
            can_produce_sources: SourcesPatch {
                cam: Some(true),
                ..SourcesPatch::default()
            },
            ..PermissionsPatch::default()
        },
    );
    let expected = VerifyError::PermissionMismatch {
        role: "moderator",
        field: "canProduceSources.cam".to_owned(),
        found: true,
        expected: false,
    };
    let claims = verifier().verify(&token).expect("verifies as plain claims");
    assert_eq!(
        claims.narrow::<Moderator>().err().map(VerifyError::from),
        Some(expected.clone())
    );
    assert_eq!(
        verifier().verify_as::<Moderator>(&token).err(),
        Some(expected)
    );
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
