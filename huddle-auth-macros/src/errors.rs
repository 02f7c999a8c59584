//! Collects every error of one invocation so the user sees all of them at
//! once, each at its own token, instead of fixing one and recompiling to
//! meet the next.

use std::fmt::Display;

use proc_macro2::{Span, TokenStream};

/// The errors found so far. Consumed by [`Errors::into_compile_errors`], so
/// the pipeline cannot drop them on the floor. (serde's context panics in
/// `Drop` when that happens; a panic is not an option here, since the macro
/// must never panic on any input, so ownership does that job instead.)
#[must_use = "errors must be turned into compile errors"]
#[derive(Default)]
pub struct Errors {
    combined: Option<syn::Error>,
    count: usize,
}

impl Errors {
    /// Adds an error that a `syn` parser returned.
    pub fn push(&mut self, error: syn::Error) {
        self.count += (&error).into_iter().count();
        match &mut self.combined {
            Some(combined) => combined.combine(error),
            None => self.combined = Some(error),
        }
    }

    /// Adds an error at `span`.
    pub fn at(&mut self, span: Span, message: impl Display) {
        self.push(syn::Error::new(span, message));
    }

    /// How many errors were added; an item compares this before and after
    /// it is looked at to know whether it is sound.
    pub fn count(&self) -> usize {
        self.count
    }

    /// One `compile_error!` per error, or nothing when there is none.
    pub fn into_compile_errors(self) -> TokenStream {
        self.combined
            .map(syn::Error::into_compile_error)
            .unwrap_or_default()
    }
}
