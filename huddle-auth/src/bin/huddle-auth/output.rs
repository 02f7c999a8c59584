//! Writing results to stdout.

use std::io::Write;

use serde::Serialize;

use crate::failure::Failure;

/// Writes `value` as pretty JSON and a newline.
pub fn json(out: &mut dyn Write, value: &impl Serialize) -> Result<(), Failure> {
    serde_json::to_writer_pretty(&mut *out, value).map_err(|e| Failure::new("stdout", e))?;
    writeln!(out).map_err(|e| Failure::new("stdout", e))
}
