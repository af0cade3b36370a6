//! A value per role, computed the first time an answer needs it and kept with the index
//! (so until the catalog's revision moves): a career route's neighbours of each role it
//! passes. Beneath the index.

use std::sync::OnceLock;

/// One lazily computed value per role, by role number.
#[derive(Debug, Default)]
pub struct PerRole<T>(Vec<OnceLock<T>>);

impl<T> PerRole<T> {
    pub fn new(roles: usize) -> Self {
        PerRole((0..roles).map(|_| OnceLock::new()).collect())
    }

    /// The value of the role `at`, computed by `make` if no answer has yet; `None` for a
    /// number past the roles.
    pub fn get_or_init(&self, at: usize, make: impl FnOnce() -> T) -> Option<&T> {
        self.0.get(at).map(|place| place.get_or_init(make))
    }
}
