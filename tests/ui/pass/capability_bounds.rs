//! Capability bounds accept exactly the roles that grant the capability.

use huddle_auth::roles::{Bot, CoHost, Guest, Host, Listener, Speaker};
use huddle_auth::{can, role, StaticRole};

role! {
    /// Screen sharing only.
    pub struct Presenter: Listener {
        canProduce: true,
        canProduceSources: { screen: true },
    }
}

fn admin<R: can::Admin>() -> &'static str { R::NAME }
fn consume<R: can::Consume>() -> &'static str { R::NAME }
fn produce<R: can::Produce>() -> &'static str { R::NAME }
fn camera<R: can::ProduceCam>() -> &'static str { R::NAME }
fn microphone<R: can::ProduceMic>() -> &'static str { R::NAME }
fn screen<R: can::ProduceScreen>() -> &'static str { R::NAME }
fn send<R: can::SendData>() -> &'static str { R::NAME }
fn receive<R: can::RecvData>() -> &'static str { R::NAME }
fn metadata<R: can::UpdateMetadata>() -> &'static str { R::NAME }

fn main() {
    assert_eq!([admin::<Host>(), admin::<CoHost>()], ["host", "coHost"]);
    assert_eq!(camera::<Guest>(), "guest");
    assert_eq!([microphone::<Speaker>(), screen::<Speaker>()], ["speaker"; 2]);
    assert_eq!([send::<Listener>(), receive::<Listener>(), metadata::<Listener>()], ["listener"; 3]);
    assert_eq!(consume::<Bot>(), "bot");
    assert_eq!([produce::<Presenter>(), screen::<Presenter>()], ["presenter"; 2]);
}
