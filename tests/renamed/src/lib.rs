//! `role!` used through a renamed dependency (`auth = { package = "huddle-auth", … }`):
//! `::huddle_auth` does not resolve in this crate, so each role below compiles
//! only if the macro names the runtime as `::auth`.

auth::role! {
    /// Found from this crate's Cargo.toml, with no option.
    pub struct Moderator: CoHost {
        canProduceSources: { cam: false },
    }
}

auth::role! {
    #![role(crate = "auth")]

    /// Named once for the whole invocation.
    pub struct Viewer: Listener {}
}

auth::role! {
    /// Named on the item.
    #[role(crate = "::auth", name = "stage-bot")]
    pub struct StageBot: Bot {}
}

#[cfg(test)]
mod tests {
    use super::*;
    use auth::{can, Permissions, ProduceSources, StaticRole};

    fn admin<R: can::Admin>() -> &'static str {
        R::NAME
    }

    #[test]
    fn roles_declared_through_the_renamed_crate_work() {
        assert_eq!(admin::<Moderator>(), "moderator");
        assert_eq!(Viewer::NAME, "viewer");
        assert_eq!(StageBot::NAME, "stage-bot");
        assert_eq!(
            Moderator::PERMISSIONS,
            Permissions {
                admin: true,
                can_consume: true,
                can_produce: true,
                can_produce_sources: ProduceSources {
                    cam: false,
                    mic: true,
                    screen: true,
                },
                can_send_data: true,
                can_recv_data: true,
                can_update_metadata: true,
            }
        );
    }
}
