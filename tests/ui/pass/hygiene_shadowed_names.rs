//! The expansion names everything by absolute path: a caller that shadows
//! the names it could use, or has no prelude at all, does not break it.
#![allow(dead_code, non_camel_case_types)]

struct Permissions;
struct ProduceSources;
struct StaticRole;
type Result<T> = ::core::result::Result<T, ()>;
enum Option {}
struct Debug;
struct Clone;
struct Copy;
struct Default;
struct PartialEq;
struct Eq;
struct Hash;
struct str;
mod std {}
mod core {}
mod serde {}
mod can {}
mod __private {}

::huddle_auth::role! {
    /// Declared among shadowed names.
    pub struct Moderator: Guest {
        canProduceSources: { cam: false },
    }
}

mod no_prelude {
    #![no_implicit_prelude]

    ::huddle_auth::role! {
        /// Declared where not even the prelude is in scope.
        pub struct Usher: Listener {}
    }
}

fn main() {
    assert_eq!(<Moderator as ::huddle_auth::StaticRole>::NAME, "moderator");
    assert_eq!(<no_prelude::Usher as ::huddle_auth::StaticRole>::NAME, "usher");
    fn needs_screen<R: ::huddle_auth::can::ProduceScreen>() {}
    needs_screen::<Moderator>();
}
