//! What both benchmarks run: this crate's public path, raw `jsonwebtoken`
//! on an equivalent claims struct, and the floor, for each algorithm, with
//! every key built once outside the timed code.
//!
//! Over 400 lines on purpose: the three sides of each algorithm sit next to
//! each other so that a reader can check they do the same work; split, the
//! comparison would span files.

use std::hint::black_box;
use std::time::{Duration, Instant};

use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{
    EcdsaKeyPair, Ed25519KeyPair, KeyPair as _, ParsedPublicKey, RsaKeyPair,
    ECDSA_P256_SHA256_FIXED, ECDSA_P256_SHA256_FIXED_SIGNING, ED25519, RSA_PKCS1_2048_8192_SHA256,
    RSA_PKCS1_SHA256,
};
use base64::Engine as _;
use hmac::{Hmac, Mac};
use huddle_auth::{
    AccessToken, Algorithm, ApiKey, Claims, Permissions, PrivateKey, Role, TokenProfile,
    TokenSigner, TokenVerifier,
};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use sha2::Sha256;

/// The floor's base64url: the fastest engine of the base64 crate (its SIMD
/// one, as the crate under test uses), same config.
#[cfg(any(target_arch = "x86_64", target_arch = "aarch64"))]
static B64: std::sync::LazyLock<base64::engine::Simd> = std::sync::LazyLock::new(|| {
    base64::engine::Simd::url_safe(base64::engine::general_purpose::NO_PAD)
});
#[cfg(not(any(target_arch = "x86_64", target_arch = "aarch64")))]
static B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

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
/// then only serde_json, base64url and the MAC or signature itself. For
/// HS256 that is RustCrypto's `hmac`, for the asymmetric algorithms raw
/// aws-lc-rs with a key pair and a public key parsed once, over the same
/// signing input: what no JWT library on aws-lc can beat.
struct Floor {
    key: FloorKey,
    header: String,
}

enum FloorKey {
    Hs256(Hmac<Sha256>),
    EdDSA(Ed25519KeyPair, ParsedPublicKey),
    Es256(EcdsaKeyPair, ParsedPublicKey),
    Rs256(RsaKeyPair, ParsedPublicKey),
}

impl Floor {
    /// The floor under `header`, written as is (Huddle01's infra writes
    /// `{"alg":"RS256"}` alone).
    fn with_header(header: &str, key: FloorKey) -> Self {
        Floor {
            key,
            header: B64.encode(header),
        }
    }

    fn new(alg: &str, key: FloorKey) -> Self {
        Floor::with_header(
            &format!(r#"{{"alg":"{alg}","typ":"JWT","kid":"{KEY_ID}"}}"#),
            key,
        )
    }

    fn hs256() -> Self {
        let mac = Hmac::new_from_slice(SECRET.as_bytes()).expect("HMAC takes any key length");
        Floor::new("HS256", FloorKey::Hs256(mac))
    }

    /// The floor key for a PKCS#8 private key, parsed here once, and its
    /// public half parsed once for verifying.
    fn key_from_pkcs8(alg: Algorithm, der: &[u8]) -> FloorKey {
        match alg {
            Algorithm::EdDSA => {
                let key = Ed25519KeyPair::from_pkcs8(der).expect("an Ed25519 key");
                let public = ParsedPublicKey::new(&ED25519, key.public_key().as_ref())
                    .expect("its public key");
                FloorKey::EdDSA(key, public)
            }
            Algorithm::ES256 => {
                let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_FIXED_SIGNING, der)
                    .expect("a P-256 key");
                let public = ParsedPublicKey::new(&ECDSA_P256_SHA256_FIXED, key.public_key())
                    .expect("its public key");
                FloorKey::Es256(key, public)
            }
            Algorithm::RS256 => FloorKey::rsa(RsaKeyPair::from_pkcs8(der).expect("an RSA key")),
            other => panic!("no asymmetric floor for {other}"),
        }
    }

    fn mint(&self, claims: &impl Serialize) -> String {
        let payload = serde_json::to_vec(claims).expect("plain claims serialize");
        let mut token = String::with_capacity(self.header.len() + payload.len() * 4 / 3 + 700);
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
            FloorKey::EdDSA(key, _) => key.sign(signing_input).as_ref().to_vec(),
            FloorKey::Es256(key, _) => key
                .sign(&SystemRandom::new(), signing_input)
                .expect("ECDSA signs")
                .as_ref()
                .to_vec(),
            FloorKey::Rs256(key, _) => {
                let mut signature = vec![0; key.public_modulus_len()];
                key.sign(
                    &RSA_PKCS1_SHA256,
                    &SystemRandom::new(),
                    signing_input,
                    &mut signature,
                )
                .expect("RSA signs");
                signature
            }
        };
        token.push('.');
        B64.encode_string(signature, &mut token);
        token
    }

    fn verify<C: DeserializeOwned>(&self, token: &str) -> Option<C> {
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
            FloorKey::EdDSA(_, public)
            | FloorKey::Es256(_, public)
            | FloorKey::Rs256(_, public) => public.verify_sig(signing_input, &signature).is_ok(),
        };
        if !valid {
            return None;
        }
        serde_json::from_slice(&B64.decode(payload).ok()?).ok()
    }
}

impl FloorKey {
    fn rsa(key: RsaKeyPair) -> FloorKey {
        let public = ParsedPublicKey::new(&RSA_PKCS1_2048_8192_SHA256, key.public_key().as_ref())
            .expect("its public key");
        FloorKey::Rs256(key, public)
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

    fn decode<C: DeserializeOwned>(&self, token: &str) -> Option<C> {
        jsonwebtoken::decode::<C>(token, &self.decoding_key, &self.validation)
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
    /// `hs256`, `eddsa`, `es256` or `rs256`: the groups are `<prefix>_mint`
    /// and `<prefix>_verify`.
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
    /// HS256, EdDSA, ES256 and RS256 (2048 bits). Each is checked first:
    /// every side accepts the token and reads the same claims, so a group
    /// times the same work.
    pub fn all() -> Vec<Contest> {
        vec![
            Contest::hs256(),
            Contest::asymmetric(Algorithm::EdDSA),
            Contest::asymmetric(Algorithm::ES256),
            Contest::asymmetric(Algorithm::RS256),
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
            jsonwebtoken::EncodingKey::from_secret(SECRET.as_bytes()).expect("a secret"),
            jsonwebtoken::DecodingKey::from_secret(SECRET.as_bytes()).expect("a secret"),
        );
        Contest::new("hs256", Box::new(key), verifier, jwt, Floor::hs256())
    }

    /// Each side parses the private key once, as far as it allows:
    /// `jsonwebtoken` keeps the key bytes and parses them again on every
    /// signature (and the public key on every verification, but for RSA,
    /// whose JWK it keeps as `n` and `e`). The verifier loads the public key
    /// from a JWKS, as a media server would.
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
            Algorithm::RS256 => {
                // jsonwebtoken signs RSA with the PKCS#1 key inside the PKCS#8.
                let info = pkcs8::PrivateKeyInfo::try_from(der.as_bytes()).expect("PKCS#8");
                (
                    "rs256",
                    jsonwebtoken::Algorithm::RS256,
                    jsonwebtoken::EncodingKey::from_rsa_der(info.private_key),
                )
            }
            other => panic!("no asymmetric bench for {other}"),
        };
        let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&key.public_jwk())
            .expect("jsonwebtoken reads the JWK");
        let jwt = Jwt::new(jwt_alg, encoding_key, decoding_key);
        let verifier = TokenVerifier::new()
            .with_jwks(&serde_json::to_string(&key.jwks()).expect("JWKS serializes"))
            .expect("the JWKS loads")
            .require_room(ROOM_ID);
        let alg_name = alg.as_str();
        let floor = Floor::new(alg_name, Floor::key_from_pkcs8(alg, der.as_bytes()));
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
        assert!(
            floor.verify::<JwtClaims>(&token).is_some(),
            "the floor reads the token"
        );
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

/// The claims of the token Huddle01's infra issued in 2024
/// (`tests/data/huddle01-issued-token-2024.jwt`), as a plain serde struct.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Huddle01Claims {
    room_id: String,
    mute_on_entry: bool,
    video_on_entry: bool,
    room_type: String,
    role: String,
    permissions: Permissions,
    peer_id: String,
    purpose: String,
    room_info: RoomInfo,
    iat: u64,
    iss: String,
    exp: u64,
}

/// The `roomInfo` claim of a Huddle01-issued token.
#[derive(Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct RoomInfo {
    room_locked: bool,
    mute_on_entry: bool,
    room_type: String,
    video_on_entry: bool,
}

/// A file of the test suites' data (`tests/data/`).
fn test_data(name: &str) -> String {
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../tests/data")
        .join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The DER between a PEM's armour lines.
fn pem_der(pem: &str) -> Vec<u8> {
    let base64: String = pem.lines().filter(|l| !l.starts_with("-----")).collect();
    base64::engine::general_purpose::STANDARD
        .decode(base64)
        .expect("a PEM file")
}

/// What a server in front of Huddle01 does per request: one token as the
/// infra issues it (RS256 with an RSA-4096 key, the header
/// `{"alg":"RS256"}` alone, `iss` Huddle01, the real token's claims issued
/// now), verified by `TokenProfile::Huddle01`, by `jsonwebtoken` requiring
/// `exp` and `iss`, and by the floor.
pub struct Huddle01Contest {
    verifier: TokenVerifier,
    jwt: Jwt,
    floor: Floor,
    token: String,
}

impl Huddle01Contest {
    /// Signs the token with the suites' RSA-4096 key (the floor signs it:
    /// raw aws-lc-rs, not this crate) and checks that every side reads it.
    pub fn new() -> Huddle01Contest {
        let real = test_data("huddle01-issued-token-2024.jwt");
        let payload = real.trim().split('.').nth(1).expect("a compact JWS");
        let mut claims: Huddle01Claims =
            serde_json::from_slice(&B64.decode(payload).expect("base64url"))
                .expect("the real token's claims");
        claims.iat = jsonwebtoken::get_current_timestamp() - 60;
        claims.exp = claims.iat + 3 * 60 * 60;

        let private = pem_der(&test_data("keys/rsa-4096-private.pem"));
        let key = RsaKeyPair::from_der(&private).expect("the PKCS#1 RSA-4096 key");
        let floor = Floor::with_header(r#"{"alg":"RS256"}"#, FloorKey::rsa(key));
        let token = floor.mint(&claims);

        let public =
            huddle_auth::PublicKey::from_public_key_pem(&test_data("keys/rsa-4096-public.pem"))
                .expect("the RSA-4096 public key");
        let decoding_key = jsonwebtoken::DecodingKey::from_jwk(&public.to_jwk("huddle01"))
            .expect("jsonwebtoken reads the JWK");
        let mut jwt = Jwt::new(
            jsonwebtoken::Algorithm::RS256,
            jsonwebtoken::EncodingKey::from_rsa_der(&private),
            decoding_key,
        );
        jwt.validation.set_issuer(&["Huddle01"]);
        jwt.validation.set_required_spec_claims(&["exp", "iss"]);
        let verifier = TokenVerifier::new()
            .with_public_key("huddle01", public)
            .expect("one key")
            .profile(TokenProfile::Huddle01)
            .require_room(&claims.room_id);

        let contest = Huddle01Contest {
            verifier,
            jwt,
            floor,
            token,
        };
        let (ours, theirs, floor) = (
            contest.verify_ours(),
            contest.verify_jwt(),
            contest.verify_floor(),
        );
        for other in [&theirs, &floor] {
            assert_eq!(ours.room_id(), other.room_id);
            assert_eq!(ours.peer_id(), other.peer_id);
            assert_eq!(ours.role(), Some(other.role.as_str()));
            assert_eq!(other.iss, "Huddle01");
        }
        contest
    }

    /// This crate's full verifying path under `TokenProfile::Huddle01`.
    pub fn verify_ours(&self) -> Claims {
        self.verifier
            .verify(black_box(&self.token))
            .expect("the Huddle01-shaped token verifies")
    }

    /// Raw `jsonwebtoken::decode`, `exp` and `iss` required and checked.
    pub fn verify_jwt(&self) -> Huddle01Claims {
        self.jwt
            .decode(black_box(&self.token))
            .expect("jsonwebtoken decodes")
    }

    /// base64url, the signature check and one serde pass.
    pub fn verify_floor(&self) -> Huddle01Claims {
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
