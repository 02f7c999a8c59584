//! What both benchmarks run: this crate's public path, raw `jsonwebtoken`
//! on an equivalent claims struct, and the floor, for each algorithm, with
//! every key built once outside the timed code.
//!
//! Over 400 lines on purpose: the three sides of each algorithm sit next to
//! each other so that a reader can check they do the same work; split, the
//! comparison would span files.

use std::hint::black_box;
use std::time::{Duration, Instant};

use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use huddle_auth::{
    AccessToken, Algorithm, ApiKey, Claims, Permissions, PrivateKey, Role, TokenSigner,
    TokenVerifier,
};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

const KEY_ID: &str = "ak_bench";
const SECRET: &str = "a benchmark secret of at least thirty-two bytes";
const ROOM_ID: &str = "abc-defg-hij";
const PEER_ID: &str = "peer_Xk3v9QdLr2mT8wZp";
const TTL_SECS: u64 = 4 * 60 * 60;

/// The metadata the SDK's README shows, typed as a server would read it.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Wallet {
    pub wallet_address: String,
}

fn wallet() -> Wallet {
    Wallet {
        wallet_address: "mizanxali.eth".to_owned(),
    }
}

/// The same claims as this crate's tokens, as a plain serde struct: what a
/// `jsonwebtoken` user would write.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtClaims {
    room_id: String,
    peer_id: String,
    project_id: String,
    role: String,
    permissions: Permissions,
    metadata: String,
    iat: u64,
    nbf: u64,
    exp: u64,
    jti: String,
}

fn jwt_claims() -> JwtClaims {
    let now = jsonwebtoken::get_current_timestamp();
    JwtClaims {
        room_id: ROOM_ID.to_owned(),
        peer_id: PEER_ID.to_owned(),
        project_id: KEY_ID.to_owned(),
        role: "host".to_owned(),
        permissions: Role::Host.permissions(),
        metadata: r#"{"walletAddress":"mizanxali.eth"}"#.to_owned(),
        iat: now,
        nbf: now,
        exp: now + TTL_SECS,
        jti: "6Hq0c2mXb1T9nRk4uVwYzA".to_owned(),
    }
}

/// This crate's full minting path: builder to string.
fn mint(key: &dyn TokenSigner, metadata: &Wallet) -> String {
    AccessToken::new(key, ROOM_ID)
        .role(Role::Host)
        .metadata(metadata)
        .peer_id(PEER_ID)
        .ttl(TTL_SECS)
        .to_jwt()
        .expect("the bench claims are valid")
}

/// The floor: a key prepared once and the header segment encoded once,
/// then only serde_json, base64url and the MAC or signature itself. The
/// issue's targets hold `huddle-auth` to it for HS256; for EdDSA and ES256
/// it shows how much of each side's time is the signature arithmetic.
struct Floor {
    key: FloorKey,
    header: String,
}

enum FloorKey {
    Hs256(Hmac<Sha256>),
    EdDSA(ed25519_dalek::SigningKey),
    Es256(p256::ecdsa::SigningKey),
}

impl Floor {
    fn new(alg: &str, key: FloorKey) -> Self {
        let header = B64.encode(format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{KEY_ID}"}}"#));
        Floor { key, header }
    }

    fn hs256() -> Self {
        let mac = Hmac::new_from_slice(SECRET.as_bytes()).expect("HMAC takes any key length");
        Floor::new("HS256", FloorKey::Hs256(mac))
    }

    /// The floor for a PKCS#8 private key, parsed here once.
    fn from_pkcs8(alg: Algorithm, der: &[u8]) -> Self {
        use pkcs8::DecodePrivateKey as _;
        match alg {
            Algorithm::EdDSA => Floor::new(
                "EdDSA",
                FloorKey::EdDSA(
                    ed25519_dalek::SigningKey::from_pkcs8_der(der).expect("an Ed25519 key"),
                ),
            ),
            Algorithm::ES256 => Floor::new(
                "ES256",
                FloorKey::Es256(p256::ecdsa::SigningKey::from_pkcs8_der(der).expect("a P-256 key")),
            ),
            other => panic!("no floor for {other}"),
        }
    }

    fn mint(&self, claims: &JwtClaims) -> String {
        use ed25519_dalek::Signer as _;
        let payload = serde_json::to_vec(claims).expect("plain claims serialize");
        let mut token = String::with_capacity(self.header.len() + payload.len() * 4 / 3 + 100);
        token.push_str(&self.header);
        token.push('.');
        B64.encode_string(&payload, &mut token);
        let signing_input = token.as_bytes();
        let signature: Vec<u8> = match &self.key {
            FloorKey::Hs256(mac) => {
                let mut mac = mac.clone();
                mac.update(signing_input);
                mac.finalize().into_bytes().to_vec()
            }
            FloorKey::EdDSA(key) => key.sign(signing_input).to_bytes().to_vec(),
            FloorKey::Es256(key) => {
                let signature: p256::ecdsa::Signature = key.sign(signing_input);
                signature.to_bytes().to_vec()
            }
        };
        token.push('.');
        B64.encode_string(signature, &mut token);
        token
    }

    /// Ed25519 is checked strictly, as `huddle-auth` does (`jsonwebtoken`
    /// uses the plain check; both cost the same).
    fn verify(&self, token: &str) -> Option<JwtClaims> {
        use p256::ecdsa::signature::Verifier as _;
        let (signing_input, signature) = token.rsplit_once('.')?;
        let (_, payload) = signing_input.split_once('.')?;
        let signature = B64.decode(signature).ok()?;
        let signing_input = signing_input.as_bytes();
        let valid = match &self.key {
            FloorKey::Hs256(mac) => {
                let mut mac = mac.clone();
                mac.update(signing_input);
                mac.verify_slice(&signature).is_ok()
            }
            FloorKey::EdDSA(key) => {
                let signature = ed25519_dalek::Signature::from_slice(&signature).ok()?;
                key.verifying_key()
                    .verify_strict(signing_input, &signature)
                    .is_ok()
            }
            FloorKey::Es256(key) => {
                let signature = p256::ecdsa::Signature::from_slice(&signature).ok()?;
                key.verifying_key()
                    .verify(signing_input, &signature)
                    .is_ok()
            }
        };
        if !valid {
            return None;
        }
        serde_json::from_slice(&B64.decode(payload).ok()?).ok()
    }
}

/// What raw `jsonwebtoken` needs for one algorithm, built once.
struct Jwt {
    header: jsonwebtoken::Header,
    encoding_key: jsonwebtoken::EncodingKey,
    decoding_key: jsonwebtoken::DecodingKey,
    validation: jsonwebtoken::Validation,
}

impl Jwt {
    fn new(
        alg: jsonwebtoken::Algorithm,
        encoding_key: jsonwebtoken::EncodingKey,
        decoding_key: jsonwebtoken::DecodingKey,
    ) -> Self {
        let mut header = jsonwebtoken::Header::new(alg);
        header.kid = Some(KEY_ID.to_owned());
        // `Validation::new` requires `exp` and checks it, with no audience.
        let validation = jsonwebtoken::Validation::new(alg);
        Jwt {
            header,
            encoding_key,
            decoding_key,
            validation,
        }
    }

    fn encode(&self, claims: &JwtClaims) -> String {
        jsonwebtoken::encode(&self.header, claims, &self.encoding_key)
            .expect("jsonwebtoken encodes")
    }

    fn decode(&self, token: &str) -> Option<JwtClaims> {
        jsonwebtoken::decode::<JwtClaims>(token, &self.decoding_key, &self.validation)
            .map(|data| data.claims)
            .ok()
    }
}

/// Asserts that both sides accept the token and read the same claims, so the
/// functions of a group measure the same work.
fn check_agree(verifier: &TokenVerifier, token: &str, theirs: Option<JwtClaims>) {
    let ours: Claims<Wallet> = verifier
        .verify_with_metadata(token)
        .expect("huddle-auth verifies");
    let theirs = theirs.expect("jsonwebtoken verifies");
    assert_eq!(ours.room_id(), theirs.room_id);
    assert_eq!(ours.peer_id(), theirs.peer_id);
    assert_eq!(ours.role(), Some(theirs.role.as_str()));
    assert_eq!(ours.permissions(), &theirs.permissions);
    assert_eq!(ours.metadata_json(), Some(theirs.metadata.as_str()));
    assert_eq!(
        ours.metadata().map(|m| m.wallet_address.as_str()),
        Some("mizanxali.eth")
    );
}

/// One algorithm's contestants, and a token all of them accept.
pub struct Contest {
    /// `hs256`, `eddsa` or `es256`: the groups are `<prefix>_mint` and `<prefix>_verify`.
    pub prefix: &'static str,
    key: Box<dyn TokenSigner>,
    verifier: TokenVerifier,
    jwt: Jwt,
    floor: Floor,
    metadata: Wallet,
    claims: JwtClaims,
    token: String,
}

impl Contest {
    /// HS256, EdDSA and ES256. Each is checked first: every side accepts the
    /// token and reads the same claims, so a group times the same work.
    pub fn all() -> Vec<Contest> {
        vec![
            Contest::hs256(),
            Contest::asymmetric(Algorithm::EdDSA),
            Contest::asymmetric(Algorithm::ES256),
        ]
    }

    fn hs256() -> Contest {
        let key = ApiKey::new(KEY_ID, SECRET).expect("the bench secret is long enough");
        let verifier = TokenVerifier::new()
            .with_api_key(&key)
            .expect("one key")
            .require_room(ROOM_ID);
        let jwt = Jwt::new(
            jsonwebtoken::Algorithm::HS256,
            jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()),
            jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()),
        );
        Contest::new("hs256", Box::new(key), verifier, jwt, Floor::hs256())
    }

    /// Each side parses the private key once, as far as it allows:
    /// `jsonwebtoken` keeps the PKCS#8 bytes and parses them again on every
    /// signature. The verifier loads the public key from a JWKS, as a media
    /// server would.
    fn asymmetric(alg: Algorithm) -> Contest {
        let key = PrivateKey::generate(alg, KEY_ID).expect("key generation");
        let pem = key.to_pkcs8_pem().expect("PKCS#8 export");
        let (_, der) = pkcs8::SecretDocument::from_pem(&pem).expect("our own PEM reads back");
        let (prefix, jwt_alg, encoding_key) = match alg {
            Algorithm::EdDSA => (
                "eddsa",
                jsonwebtoken::Algorithm::EdDSA,
                jsonwebtoken::EncodingKey::from_ed_der(der.as_bytes()),
            ),
            Algorithm::ES256 => (
                "es256",
                jsonwebtoken::Algorithm::ES256,
                jsonwebtoken::EncodingKey::from_ec_der(der.as_bytes()),
            ),
            other => panic!("no asymmetric bench for {other}"),
        };
        let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&key.public_jwk())
            .expect("jsonwebtoken reads the JWK");
        let jwt = Jwt::new(jwt_alg, encoding_key, decoding_key);
        let verifier = TokenVerifier::new()
            .with_jwks(&serde_json::to_string(&key.jwks()).expect("JWKS serializes"))
            .expect("the JWKS loads")
            .require_room(ROOM_ID);
        let floor = Floor::from_pkcs8(alg, der.as_bytes());
        Contest::new(prefix, Box::new(key), verifier, jwt, floor)
    }

    fn new(
        prefix: &'static str,
        key: Box<dyn TokenSigner>,
        verifier: TokenVerifier,
        jwt: Jwt,
        floor: Floor,
    ) -> Contest {
        let metadata = wallet();
        let token = mint(key.as_ref(), &metadata);
        check_agree(&verifier, &token, jwt.decode(&token));
        assert!(floor.verify(&token).is_some(), "the floor reads the token");
        Contest {
            prefix,
            key,
            verifier,
            jwt,
            floor,
            metadata,
            claims: jwt_claims(),
            token,
        }
    }

    /// This crate's full minting path: builder to string.
    pub fn mint_ours(&self) -> String {
        mint(black_box(self.key.as_ref()), black_box(&self.metadata))
    }

    /// Raw `jsonwebtoken::encode` of the claims struct.
    pub fn mint_jwt(&self) -> String {
        self.jwt.encode(black_box(&self.claims))
    }

    /// serde_json, base64url and the MAC or signature, nothing else.
    pub fn mint_floor(&self) -> String {
        self.floor.mint(black_box(&self.claims))
    }

    /// This crate's full verifying path: string to typed claims, every check.
    pub fn verify_ours(&self) -> Claims<Wallet> {
        self.verifier
            .verify_with_metadata(black_box(&self.token))
            .expect("the token verifies")
    }

    /// Raw `jsonwebtoken::decode`, `exp` required and checked.
    pub fn verify_jwt(&self) -> JwtClaims {
        self.jwt
            .decode(black_box(&self.token))
            .expect("jsonwebtoken decodes")
    }

    /// base64url, the MAC or signature check and one serde pass.
    pub fn verify_floor(&self) -> JwtClaims {
        self.floor
            .verify(black_box(&self.token))
            .expect("the floor decodes")
    }
}

/// The clock the benchmarks read.
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Clock {
    /// The benchmark thread's CPU time (`CLOCK_THREAD_CPUTIME_ID`): on a
    /// machine shared with other work, time spent waiting for a core is not
    /// the code's.
    ThreadCpu,
    /// Wall-clock time.
    Wall,
}

impl Clock {
    /// `HUDDLE_BENCH_CLOCK=wall` picks wall-clock time, anything else thread
    /// CPU time.
    pub fn from_env() -> Clock {
        if std::env::var("HUDDLE_BENCH_CLOCK").as_deref() == Ok("wall") {
            Clock::Wall
        } else {
            Clock::ThreadCpu
        }
    }

    /// The time `calls` calls of `f` take, made `depth` frames deeper into
    /// the stack.
    ///
    /// The speed of the curve arithmetic depends on where its stack frames
    /// fall: EdDSA verification moved by up to 20 % from one process to the
    /// next with address space randomisation, and not at all without it.
    /// Timing each batch at another depth (see [`depth`]) averages the
    /// medians over layouts instead of drawing one per process.
    #[inline(never)]
    pub fn time_at_depth(self, f: &dyn Fn(), calls: u64, depth: u32) -> Duration {
        let frame = black_box([0u8; 16]);
        let time = if depth == 0 {
            match self {
                Clock::ThreadCpu => {
                    let start = cpu_time::ThreadTime::now();
                    (0..calls).for_each(|_| f());
                    start.elapsed()
                }
                Clock::Wall => {
                    let start = Instant::now();
                    (0..calls).for_each(|_| f());
                    start.elapsed()
                }
            }
        } else {
            self.time_at_depth(f, calls, depth - 1)
        };
        black_box(frame);
        time
    }
}

/// The stack depth for the `batch`-th batch: a step of 97 walks every depth
/// below 256 before repeating.
pub fn depth(batch: u32) -> u32 {
    batch.wrapping_mul(97) % 256
}
