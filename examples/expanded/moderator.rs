// What `role!` writes for this role of examples/examples/typed_roles.rs:
//
//     role! {
//         /// Runs the stage but never shows a camera.
//         pub struct Moderator: Guest {
//             canProduceSources: { cam: false },
//             canUpdateMetadata: false,
//         }
//     }
//
// Written by `HUDDLE_AUTH_EXPANDED=overwrite cargo test -p huddle-auth-macros`
// (the macro's output, formatted by rustfmt); that test fails when the macro's
// output and this file differ. tests/tests/typed_roles.rs compiles this file
// and checks it against the macro.

#[doc = " Runs the stage but never shows a camera."]
#[doc = ""]
#[doc = "Role `moderator` (declared with `role!`); grants `can::Consume`, `can::Produce`, `can::ProduceMic`, `can::ProduceScreen`, `can::SendData`, `can::RecvData`."]
#[derive(
    ::core::fmt::Debug,
    ::core::clone::Clone,
    ::core::marker::Copy,
    ::core::default::Default,
    ::core::cmp::PartialEq,
    ::core::cmp::Eq,
    ::core::hash::Hash,
)]
pub struct Moderator;
const _: () = {
    impl ::huddle_auth::__private::StaticRole for Moderator {
        const NAME: &'static ::core::primitive::str = "moderator";
        const PERMISSIONS: ::huddle_auth::__private::Permissions =
            ::huddle_auth::__private::Permissions {
                admin: false,
                can_consume: true,
                can_produce: true,
                can_produce_sources: ::huddle_auth::__private::ProduceSources {
                    cam: false,
                    mic: true,
                    screen: true,
                },
                can_send_data: true,
                can_recv_data: true,
                can_update_metadata: false,
            };
    }
    impl ::huddle_auth::__private::can::Consume for Moderator {}
    impl ::huddle_auth::__private::can::Produce for Moderator {}
    impl ::huddle_auth::__private::can::ProduceMic for Moderator {}
    impl ::huddle_auth::__private::can::ProduceScreen for Moderator {}
    impl ::huddle_auth::__private::can::SendData for Moderator {}
    impl ::huddle_auth::__private::can::RecvData for Moderator {}
};
