//! Roles declared in code with `role!`, checked while compiling, and
//! functions that demand a capability in their signature.
//!
//! Run with `cargo run -p huddle-auth-examples --example typed_roles`.
//! What the macro writes for `Moderator` is checked in at
//! `examples/expanded/moderator.rs`.

use std::error::Error;

use huddle_auth::roles::Speaker;
use huddle_auth::{can, role, AccessToken, ApiKey, Peer, TokenVerifier};

role! {
    /// Runs the stage but never shows a camera.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
        canUpdateMetadata: false,
    }

    /// Records the room: consumes and receives, publishes nothing.
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
}

// Each function states the capability it needs. Calling one with a role that
// lacks it does not compile, for example `start_camera(&moderator)`:
//
//     error[E0277]: the role `Moderator` may not publish its camera: `can::ProduceCam`
//                   needs `canProduce: true` and `canProduceSources: { cam: true }`

/// Only roles that may share their screen get here.
fn share_screen<R: can::ProduceScreen>(peer: &Peer<R>) -> String {
    format!("{} ({}) shares the screen", display(peer), R::NAME)
}

/// Only roles that may publish a microphone get here.
fn unmute<R: can::ProduceMic>(peer: &Peer<R>) -> String {
    format!("{} ({}) unmutes", display(peer), R::NAME)
}

/// Only roles that may publish a camera get here.
fn start_camera<R: can::ProduceCam>(peer: &Peer<R>) -> String {
    format!("{} ({}) starts the camera", display(peer), R::NAME)
}

/// A recorder needs to consume tracks and receive data messages.
fn record<R: can::Consume + can::RecvData>(peer: &Peer<R>) -> String {
    format!(
        "{} ({}) records room {}",
        display(peer),
        R::NAME,
        peer.room_id()
    )
}

fn display<R>(peer: &Peer<R>) -> &str {
    peer.display_name().unwrap_or(peer.peer_id())
}

fn main() -> Result<(), Box<dyn Error>> {
    let key = ApiKey::new("ak_example", "an example secret of at least 32 bytes")?;
    let verifier = TokenVerifier::new().with_api_key(&key)?;
    let room = "abc-defg-hij";

    // A typed role is a role like any other when minting: its name and
    // permissions go into the token.
    let moderator_token = AccessToken::new(&key, room)
        .role(Moderator)
        .display_name("Ada")
        .to_jwt()?;
    let bot_token = AccessToken::new(&key, room)
        .role(StageBot)
        .display_name("recorder")
        .to_jwt()?;
    let speaker_token = AccessToken::new(&key, room)
        .role(Speaker)
        .display_name("Grace")
        .to_jwt()?;

    // Verifying narrows the claims to the role type, so the bounds apply.
    let moderator: Peer<Moderator> = verifier.verify_as(&moderator_token)?;
    println!("{}", share_screen(&moderator));
    println!("{}", unmute(&moderator));

    let bot: Peer<StageBot> = verifier.verify_as(&bot_token)?;
    println!("{}", record(&bot));

    let speaker: Peer<Speaker> = verifier.verify_as(&speaker_token)?;
    println!("{}", share_screen(&speaker));

    // A guest may do everything a moderator may not.
    let guest_token = AccessToken::new(&key, room)
        .role(huddle_auth::roles::Guest)
        .display_name("Linus")
        .to_jwt()?;
    let guest: Peer<huddle_auth::roles::Guest> = verifier.verify_as(&guest_token)?;
    println!("{}", start_camera(&guest));

    // A token of another role does not narrow to `Moderator`.
    match verifier.verify_as::<Moderator>(&bot_token) {
        Ok(_) => return Err("a stage-bot token narrowed to moderator".into()),
        Err(refused) => println!("stage-bot token as moderator: refused, {refused}"),
    }
    Ok(())
}
