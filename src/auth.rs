//! Who sent a request, and what it may do. HTTP and WebSocket find the caller once per
//! request or operation, from the key it presented (see `http::access`, which checks the key
//! and refuses a bad one before anything runs); the GraphQL resolvers that need a scope ask
//! the caller for it. One definition for every way in, so that a key means the same over POST,
//! GET and a socket.

use crate::keys::{Principal, Scope};
use crate::{Error, Result};

/// Who sent the request: the holder of the key it carried, if it carried one.
#[derive(Clone, Debug, Default)]
pub struct Caller(pub Option<Principal>);

/// A request that carried no key.
pub static ANONYMOUS: Caller = Caller(None);

impl Caller {
    /// The holder of the request's key, if it has `scope`: `UNAUTHENTICATED` without a key,
    /// `FORBIDDEN` with a key of a smaller scope.
    pub fn require(&self, scope: Scope) -> Result<&Principal> {
        match &self.0 {
            Some(principal) => {
                principal.require(scope)?;
                Ok(principal)
            }
            None => Err(Error::unauthenticated(
                "this needs an API key: send `Authorization: Bearer <key>`",
            )),
        }
    }
}
