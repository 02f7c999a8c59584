//! `huddle-auth keygen`: a private key in `DIR/KID.pem` and its public key
//! added to `DIR/jwks.json`.

use std::fs::{self, OpenOptions};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use huddle_auth::{Algorithm, PrivateKey};
use serde_json::{Map, Value};

use crate::args::KeygenArgs;
use crate::failure::Failure;
use crate::input;
use crate::published::JWKS_FILE;

/// The longest key id accepted, which is also a file name.
const MAX_KID_LEN: usize = 128;

/// Generates the key, writes it and publishes its public half; reports what
/// was written to `out`.
pub fn run(args: KeygenArgs, out: &mut dyn Write) -> Result<(), Failure> {
    check_kid(&args.kid)?;
    if args.bits.is_some() && args.alg != Algorithm::RS256 {
        return Err(Failure::new(
            "--bits",
            format_args!("sizes RS256 keys only; {} keys have one size", args.alg),
        ));
    }
    let dir = &args.out;
    create_dir(dir)?;
    let pem_path = dir.join(format!("{}.pem", args.kid));
    let jwks_path = dir.join(JWKS_FILE);

    // Everything that can refuse is checked before anything is written;
    // creating the file with `create_new` below still guards against a race.
    if pem_path.exists() {
        return Err(already_exists(&pem_path));
    }
    let mut jwks = read_jwks(&jwks_path)?;
    let keys = keys_of(&mut jwks, &jwks_path)?;
    if keys
        .iter()
        .any(|jwk| jwk.get("kid").and_then(Value::as_str) == Some(args.kid.as_str()))
    {
        return Err(Failure::new(
            "--kid",
            format_args!(
                "{:?} is already in {}; a key id is never published twice",
                args.kid,
                jwks_path.display()
            ),
        ));
    }

    let key = match args.bits {
        Some(bits) => PrivateKey::generate_rsa(bits, args.kid.as_str())?,
        None => PrivateKey::generate(args.alg, args.kid.as_str())?,
    };
    let jwk = serde_json::to_value(key.public_jwk()).map_err(|e| Failure::new("public JWK", e))?;
    write_private_key(&pem_path, &key)?;
    keys.push(jwk);
    if let Err(failure) = write_jwks(&jwks_path, &jwks) {
        // Without its public key the new private key is of no use; leave
        // nothing behind so the same command can simply be run again.
        let _ = fs::remove_file(&pem_path);
        return Err(failure);
    }

    writeln!(
        out,
        "wrote {} ({} private key, PKCS#8, mode 0600)\nadded kid {:?} to {}",
        pem_path.display(),
        args.alg,
        args.kid,
        jwks_path.display()
    )
    .map_err(|e| Failure::new("stdout", e))
}

/// The key id names a file, so it must not reach outside `--out`.
fn check_kid(kid: &str) -> Result<(), Failure> {
    let reason = if kid.is_empty() {
        Some("must not be empty".to_owned())
    } else if kid.len() > MAX_KID_LEN {
        Some(format!("is {} bytes, at most {MAX_KID_LEN}", kid.len()))
    } else if kid.starts_with('.') {
        Some("must not start with `.`".to_owned())
    } else {
        kid.chars()
            .find(|c| !(c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-')))
            .map(|c| {
                format!("may hold only ASCII letters, digits, `.`, `_` and `-` (it names a file), not {c:?}")
            })
    };
    match reason {
        Some(reason) => Err(Failure::new("--kid", reason)),
        None => Ok(()),
    }
}

fn create_dir(dir: &Path) -> Result<(), Failure> {
    let mut builder = fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, 0o700);
    builder
        .create(dir)
        .map_err(|e| Failure::new(format_args!("--out {}", dir.display()), e))
}

/// The JWKS document in the file, or an empty one if there is no file yet.
fn read_jwks(path: &Path) -> Result<Value, Failure> {
    if !path.exists() {
        return Ok(Value::Object(Map::from_iter([(
            "keys".to_owned(),
            Value::Array(Vec::new()),
        )])));
    }
    let text = input::text_file("--out", path)?;
    serde_json::from_str(&text).map_err(|e| at(path, format_args!("not valid JSON: {e}")))
}

fn keys_of<'a>(jwks: &'a mut Value, path: &Path) -> Result<&'a mut Vec<Value>, Failure> {
    jwks.as_object_mut()
        .and_then(|object| object.get_mut("keys"))
        .and_then(Value::as_array_mut)
        .ok_or_else(|| {
            at(
                path,
                "not a JWKS document: expected an object with a \"keys\" array",
            )
        })
}

/// Writes the PEM to a file that did not exist, readable by its owner only.
fn write_private_key(path: &Path, key: &PrivateKey) -> Result<(), Failure> {
    let pem = key.to_pkcs8_pem()?;
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let mut file = options.open(path).map_err(|e| {
        if e.kind() == io::ErrorKind::AlreadyExists {
            already_exists(path)
        } else {
            at(path, e)
        }
    })?;
    let written = file
        .write_all(pem.as_bytes())
        .and_then(|()| file.sync_all());
    if let Err(e) = written {
        drop(file);
        let _ = fs::remove_file(path);
        return Err(at(path, e));
    }
    Ok(())
}

fn already_exists(path: &Path) -> Failure {
    at(
        path,
        "already exists; keygen never overwrites a key (choose another --kid)",
    )
}

/// A failure about a file inside `--out`.
fn at(path: &Path, reason: impl std::fmt::Display) -> Failure {
    Failure::new(format_args!("--out {}", path.display()), reason)
}

/// Replaces the JWKS file in one step (write a sibling, then rename), so a
/// failure never leaves the published keys half-written. The new file takes
/// the mode of the one it replaces, or 0644 for the first one.
fn write_jwks(path: &Path, jwks: &Value) -> Result<(), Failure> {
    let mut text = serde_json::to_string_pretty(jwks).map_err(|e| at(path, e))?;
    text.push('\n');
    let permissions = jwks_permissions(path).map_err(|e| at(path, e))?;
    let staging = staging_path(path);
    // Created readable by its owner only, so that nobody else can open it
    // before it holds the right mode (set explicitly: the umask applies
    // only at creation, and would make the first file 0600 or 0666).
    let mut options = OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    let result = options
        .open(&staging)
        .and_then(|mut file| {
            file.write_all(text.as_bytes())?;
            if let Some(permissions) = permissions {
                file.set_permissions(permissions)?;
            }
            file.sync_all()
        })
        .and_then(|()| fs::rename(&staging, path));
    result.map_err(|e| {
        let _ = fs::remove_file(&staging);
        at(path, e)
    })
}

/// The permissions the JWKS file is written with: those of the file it
/// replaces (an operator may have restricted them with `chmod 600`), else
/// 0644 on Unix, since it holds public keys that the verifiers' accounts
/// must read.
fn jwks_permissions(path: &Path) -> io::Result<Option<fs::Permissions>> {
    match fs::metadata(path) {
        Ok(metadata) => Ok(Some(metadata.permissions())),
        Err(e) if e.kind() == io::ErrorKind::NotFound => {
            #[cfg(unix)]
            return Ok(Some(std::os::unix::fs::PermissionsExt::from_mode(0o644)));
            #[cfg(not(unix))]
            return Ok(None);
        }
        Err(e) => Err(e),
    }
}

fn staging_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(format!(".{}.tmp", std::process::id()));
    path.with_file_name(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kid_must_be_a_plain_file_name() {
        for kid in ["", "../k1", "a/b", ".hidden", "k 1", &"k".repeat(129)] {
            assert!(check_kid(kid).is_err(), "{kid:?} accepted");
        }
        for kid in ["k1", "2024-05.ed25519", "ak_live_1"] {
            assert!(check_kid(kid).is_ok(), "{kid:?} refused");
        }
    }
}
