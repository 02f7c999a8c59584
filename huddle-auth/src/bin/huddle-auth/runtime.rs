//! The Tokio runtime that the commands which talk to the network wait on.

use std::future::Future;

use crate::failure::Failure;

/// Runs `future` to its end on a runtime of this thread alone: the command
/// makes one call at a time, so more threads would only cost start-up time.
pub fn block_on<F: Future>(future: F) -> Result<F::Output, Failure> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|e| Failure::new("runtime", e))?;
    Ok(runtime.block_on(future))
}
