//! `huddle-auth roles`: the predefined roles and their permissions.

use std::io::Write;

use huddle_auth::{Flag, Role};
use serde::{Serialize, Serializer};

use crate::args::RolesArgs;
use crate::failure::Failure;

/// Writes the role table, as text or (with `--json`) as an object keyed by
/// wire name whose values are the permission objects.
pub fn run(args: RolesArgs, out: &mut dyn Write) -> Result<(), Failure> {
    if args.json {
        crate::output::json(out, &RoleTable)
    } else {
        out.write_all(table().as_bytes())
            .map_err(|e| Failure::new("stdout", e))
    }
}

/// Every predefined role in the SDK's order, serialized as a map.
struct RoleTable;

impl Serialize for RoleTable {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_map(Role::ALL.map(|role| (role.as_str(), role.permissions())))
    }
}

fn table() -> String {
    let role_width = Role::ALL
        .iter()
        .map(|r| r.as_str().len())
        .chain(["role".len()])
        .max()
        .unwrap_or_default();
    let mut text = format!("{:role_width$}", "role");
    // One column per flag of the library's table, named as inside its block.
    for flag in Flag::ALL {
        text.push_str("  ");
        text.push_str(flag.name());
    }
    text.push('\n');
    for role in Role::ALL {
        let permissions = role.permissions();
        let mut line = format!("{:role_width$}", role.as_str());
        for flag in Flag::ALL {
            let mark = if flag.get(&permissions) { "yes" } else { "-" };
            line.push_str(&format!("  {mark:width$}", width = flag.name().len()));
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text.push_str(
        "\ncam, mic, screen: canProduceSources. A custom role starts from the default permissions (guest's).\n",
    );
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_has_a_row_per_role_with_aligned_cells() {
        let text = table();
        let lines: Vec<&str> = text.lines().collect();
        assert!(lines[0].starts_with("role"));
        let speaker = lines
            .iter()
            .find(|l| l.starts_with("speaker"))
            .expect("a speaker row");
        let cam_at = lines[0].find("cam").expect("a cam column");
        assert_eq!(
            &speaker[cam_at..cam_at + 1],
            "-",
            "speaker may not publish the camera"
        );
        let mic_at = lines[0].find("mic").expect("a mic column");
        assert_eq!(&speaker[mic_at..mic_at + 3], "yes");
    }
}
