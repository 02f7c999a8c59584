//! Integration and UI tests of huddle-auth live in `tests/`; this library is empty.
