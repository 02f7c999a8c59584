//! The permission model and the rules of huddle-auth, shared by the runtime
//! crate and the `role!` macro so that each rule is written exactly once.
//!
//! This crate is an implementation detail: depend on `huddle-auth`, which
//! re-exports everything here that users need.

mod capability;
mod flag;
mod patch;
mod permissions;
mod role;
pub mod rules;
#[cfg(feature = "serde")]
mod strict_patch;

pub use capability::Capability;
pub use flag::Flag;
pub use patch::{PermissionsPatch, SourcesPatch};
pub use permissions::{Permissions, ProduceSources, Source};
pub use role::Role;
pub use rules::{may_assign_role, RuleViolation};
#[cfg(feature = "serde")]
pub use strict_patch::PatchError;
