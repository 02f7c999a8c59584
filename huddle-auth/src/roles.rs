//! The six predefined roles as types, for [`StaticRole`](crate::StaticRole)
//! bounds and typed tokens. Their permissions equal the SDK's table.

// Interim declarations until `role!` lands; they are replaced by `role!` items.
macro_rules! predefined {
    ($($name:ident => $role:ident: [$($cap:ident),*];)*) => {$(
        #[doc = concat!("The predefined role `", stringify!($role), "`.")]
        #[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
        pub struct $name;
        impl crate::StaticRole for $name {
            const NAME: &'static str = crate::Role::$role.as_str();
            const PERMISSIONS: crate::Permissions = crate::Role::$role.permissions();
        }
        $(impl crate::can::$cap for $name {})*
    )*};
}

predefined! {
    Host => Host: [Admin, Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata];
    CoHost => CoHost: [Admin, Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata];
    Speaker => Speaker: [Consume, Produce, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata];
    Listener => Listener: [Consume, SendData, RecvData, UpdateMetadata];
    Guest => Guest: [Consume, Produce, ProduceCam, ProduceMic, ProduceScreen, SendData, RecvData, UpdateMetadata];
    Bot => Bot: [Consume];
}
