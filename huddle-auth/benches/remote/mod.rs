//! The remote-backed verifier (feature `hosted`): the same RS256 token
//! through a verifier whose keys come from a warm [`RemoteJwks`] cache and
//! through one holding the same JWKS loaded up front, and the throughput of
//! one shared remote-backed verifier on two threads against one.

use std::hint::black_box;
use std::sync::Arc;
use std::time::{Duration, Instant};

use huddle_auth::{
    AccessToken, Algorithm, Claims, FetchFuture, JwksSource, KeySet, PrivateKey, RemoteJwks,
    RemoteJwksConfig, Role, TokenVerifier,
};

const ROOM_ID: &str = "abc-defg-hij";

/// A JWKS document served from memory: what an HTTP source delivers, without
/// the network, which the hot path never touches once the cache is warm.
#[derive(Debug)]
struct Memory(Vec<u8>);

impl JwksSource for Memory {
    fn fetch(&self) -> FetchFuture<'_> {
        Box::pin(async move { Ok(self.0.clone()) })
    }
}

/// One RS256 token and the two verifiers it is checked with.
pub struct RemoteContest {
    token: String,
    remote: Arc<TokenVerifier>,
    held: TokenVerifier,
}

impl RemoteContest {
    /// Builds both verifiers over the same JWKS and warms the remote cache
    /// with one `verify_async`, as a server's first request would; then
    /// checks that both read the same claims.
    pub fn new() -> RemoteContest {
        let key = PrivateKey::generate(Algorithm::RS256, "bench-rs256").expect("an RSA key");
        let jwks = serde_json::to_string(&key.jwks()).expect("the JWKS serializes");
        let token = AccessToken::new(&key, ROOM_ID)
            .role(Role::Host)
            .metadata(&serde_json::json!({ "walletAddress": "mizanxali.eth" }))
            .to_jwt()
            .expect("the bench claims are valid");
        let held = TokenVerifier::from_jwks(&jwks)
            .expect("the JWKS loads")
            .require_room(ROOM_ID);
        // A max age past any run: the rows time the hot path of a fresh
        // cache, not a refresh.
        let cache = RemoteJwks::new(Memory(jwks.into_bytes()), KeySet::from_remote_jwks)
            .config(RemoteJwksConfig::new().max_age(Duration::from_secs(24 * 60 * 60)));
        let remote = Arc::new(TokenVerifier::from_remote_jwks(cache).require_room(ROOM_ID));
        let runtime = tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .expect("a runtime");
        let warm = runtime
            .block_on(remote.verify_async(&token))
            .expect("the remote-backed verifier fetches and verifies");
        let contest = RemoteContest {
            token,
            remote,
            held,
        };
        assert_eq!(contest.verify_remote(), warm);
        assert_eq!(contest.verify_held(), warm);
        contest
    }

    /// The synchronous path of the remote-backed verifier: the fresh cached
    /// set, the header, the signature, the claims.
    pub fn verify_remote(&self) -> Claims {
        self.remote
            .verify(black_box(&self.token))
            .expect("the warm cache verifies")
    }

    /// The same token through the verifier holding the JWKS.
    pub fn verify_held(&self) -> Claims {
        self.held
            .verify(black_box(&self.token))
            .expect("the token verifies")
    }

    /// Wall-clock time of `calls` verifications split over `threads`
    /// threads, all sharing the one remote-backed verifier.
    pub fn remote_on_threads(&self, threads: u32, calls: u32) -> Duration {
        on_threads(&self.remote, &self.token, threads, calls)
    }

    /// The same with the static verifier: the control that shows what the
    /// machine gives two threads when no cache is involved.
    pub fn held_on_threads(&self, threads: u32, calls: u32) -> Duration {
        on_threads(&self.held, &self.token, threads, calls)
    }
}

fn on_threads(verifier: &TokenVerifier, token: &str, threads: u32, calls: u32) -> Duration {
    let per_thread = calls / threads;
    let start = Instant::now();
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                for _ in 0..per_thread {
                    drop(black_box(verifier.verify(black_box(token))));
                }
            });
        }
    });
    start.elapsed()
}
