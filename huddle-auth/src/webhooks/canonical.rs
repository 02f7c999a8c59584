//! V8's `JSON.stringify(JSON.parse(body))`, written straight from the body.
//!
//! A strict reader of ECMA-404 as V8's `JSON.parse` reads it (whitespace is
//! space, tab, LF and CR only; no byte order mark, leading zeros, trailing
//! commas or comments) that writes, as it goes, what V8's
//! `SerializeJSONProperty` (ECMA-262 section 25.5.2) writes for the parsed
//! value. `serde_json::Value` cannot carry this: it would turn `1e400` into
//! an error, reorder or merge keys by its own rules and lose every number
//! beyond a double's precision the way V8 does not.

use super::{WebhookError, MAX_DEPTH};

/// The canonical text of a body, and the text `${data.id}` gives for it.
#[derive(Debug)]
pub(crate) struct Canonical {
    pub(crate) json: String,
    /// `${data.id}` when `data.id` is truthy; why not otherwise.
    pub(crate) id: Result<String, &'static str>,
}

/// Writes V8's `JSON.stringify(JSON.parse(body))`.
///
/// ```
/// let canonical = huddle_auth::webhooks::canonical_json(br#"{ "b":1.0, "10":1e21, "2":"\u00e9", "b":-0 }"#)?;
/// assert_eq!(canonical, r#"{"2":"é","10":1e+21,"b":0}"#);
/// # Ok::<(), huddle_auth::webhooks::WebhookError>(())
/// ```
///
/// # Errors
/// [`WebhookError::NotJson`] for what `JSON.parse` refuses,
/// [`WebhookError::LoneSurrogate`] and [`WebhookError::TooDeep`] for what it
/// accepts but this function cannot reproduce.
pub fn canonical_json(body: &[u8]) -> Result<String, WebhookError> {
    canonicalize(body).map(|canonical| canonical.json)
}

/// Writes V8's form of `body` and reads `${data.id}` from it.
pub(crate) fn canonicalize(body: &[u8]) -> Result<Canonical, WebhookError> {
    let text = std::str::from_utf8(body).map_err(|e| WebhookError::NotJson {
        offset: e.valid_up_to(),
        reason: "not UTF-8",
    })?;
    let mut writer = Writer {
        text,
        bytes: body,
        pos: 0,
        out: String::with_capacity(body.len()),
        members: Vec::new(),
        depth: 0,
        id: Err("no id"),
        too_deep: false,
        lone_surrogate: None,
    };
    if body.starts_with("\u{feff}".as_bytes()) {
        return Err(writer.error("a byte order mark, which JSON.parse refuses"));
    }
    writer.skip_whitespace();
    writer.value()?;
    writer.skip_whitespace();
    if writer.pos != body.len() {
        return Err(writer.error("more after the value"));
    }
    // Only now that the whole body is known to be JSON: what V8 refuses is
    // `NotJson` wherever it is, and what it takes but this crate cannot
    // reproduce is said so.
    if writer.too_deep {
        return Err(WebhookError::TooDeep { limit: MAX_DEPTH });
    }
    if let Some(offset) = writer.lone_surrogate {
        return Err(WebhookError::LoneSurrogate { offset });
    }
    Ok(Canonical {
        json: writer.out,
        id: writer.id,
    })
}

/// One member of an object being written: spans of the output.
#[derive(Debug, Clone, Copy)]
struct Member {
    /// The key's escaped text, between its quotes.
    key_start: usize,
    key_end: usize,
    /// The whole member, `"key":value`.
    start: usize,
    end: usize,
    /// The key as an array index, which V8 orders first.
    index: Option<u32>,
}

struct Writer<'a> {
    text: &'a str,
    bytes: &'a [u8],
    pos: usize,
    out: String,
    /// The members of every object open, innermost last.
    members: Vec<Member>,
    depth: usize,
    /// `${data.id}` of the top-level object, from its last `id` member.
    id: Result<String, &'static str>,
    /// Whether a value nests past [`MAX_DEPTH`] (it is read, not written).
    too_deep: bool,
    /// Where the first lone surrogate escape is (U+FFFD is written for it).
    lone_surrogate: Option<usize>,
}

/// The largest array index, 2^32 - 2 (ECMA-262 section 6.1.7).
const MAX_ARRAY_INDEX: u64 = 4_294_967_294;

impl Writer<'_> {
    fn error(&self, reason: &'static str) -> WebhookError {
        WebhookError::NotJson {
            offset: self.pos,
            reason,
        }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(b' ' | b'\t' | b'\n' | b'\r') = self.peek() {
            self.pos += 1;
        }
    }

    /// Consumes `byte` after optional whitespace, or fails with `reason`.
    fn expect(&mut self, byte: u8, reason: &'static str) -> Result<(), WebhookError> {
        self.skip_whitespace();
        if self.peek() == Some(byte) {
            self.pos += 1;
            Ok(())
        } else {
            Err(self.error(reason))
        }
    }

    fn value(&mut self) -> Result<(), WebhookError> {
        if self.depth == MAX_DEPTH && matches!(self.peek(), Some(b'[' | b'{')) {
            self.too_deep = true;
            return self.skip_deep();
        }
        match self.peek() {
            Some(b'{') => self.object(),
            Some(b'[') => self.array(),
            Some(b'"') => self.string(),
            Some(b'-' | b'0'..=b'9') => self.number().map(|_| ()),
            Some(b't') => self.literal("true"),
            Some(b'f') => self.literal("false"),
            Some(b'n') => self.literal("null"),
            Some(_) => Err(self.error("expected a value")),
            None => Err(self.error("the body ends where a value was expected")),
        }
    }

    fn literal(&mut self, word: &'static str) -> Result<(), WebhookError> {
        if self.bytes[self.pos..].starts_with(word.as_bytes()) {
            self.pos += word.len();
            self.out.push_str(word);
            Ok(())
        } else {
            Err(self.error("expected a value"))
        }
    }

    fn enter(&mut self) {
        self.depth += 1;
        self.pos += 1;
    }

    /// Reads a value nested past the limit without writing it and without
    /// recursion (a 1 MiB body can nest a million levels), only to tell a
    /// body V8 refuses from one it takes: the containers on a stack of the
    /// closing bytes they expect, the scalars by the usual readers.
    fn skip_deep(&mut self) -> Result<(), WebhookError> {
        let mark = self.out.len();
        let mut open: Vec<u8> = Vec::new();
        loop {
            self.skip_whitespace();
            let (opening, closing) = match self.peek() {
                Some(b'[') => (true, b']'),
                Some(b'{') => (true, b'}'),
                _ => (false, 0),
            };
            if opening {
                self.pos += 1;
                self.skip_whitespace();
                if self.peek() == Some(closing) {
                    self.pos += 1;
                } else {
                    open.push(closing);
                    if closing == b'}' {
                        self.skip_key()?;
                    }
                    continue;
                }
            } else {
                self.value()?;
                self.out.truncate(mark);
            }
            loop {
                self.skip_whitespace();
                let Some(&closing) = open.last() else {
                    return Ok(());
                };
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        if closing == b'}' {
                            self.skip_key()?;
                        }
                        break;
                    }
                    Some(byte) if byte == closing => {
                        self.pos += 1;
                        open.pop();
                    }
                    _ if closing == b']' => {
                        return Err(self.error("expected ',' or ']' in an array"))
                    }
                    _ => return Err(self.error("expected ',' or '}' in an object")),
                }
            }
        }
    }

    /// Reads `"key":` of an object being skipped.
    fn skip_key(&mut self) -> Result<(), WebhookError> {
        self.skip_whitespace();
        if self.peek() != Some(b'"') {
            return Err(self.error("expected a string key in an object"));
        }
        let mark = self.out.len();
        self.string()?;
        self.out.truncate(mark);
        self.expect(b':', "expected ':' after a key")
    }

    fn array(&mut self) -> Result<(), WebhookError> {
        self.enter();
        self.out.push('[');
        self.skip_whitespace();
        if self.peek() == Some(b']') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                self.value()?;
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => {
                        self.pos += 1;
                        self.out.push(',');
                    }
                    Some(b']') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error("expected ',' or ']' in an array")),
                }
            }
        }
        self.out.push(']');
        self.depth -= 1;
        Ok(())
    }

    fn object(&mut self) -> Result<(), WebhookError> {
        self.enter();
        let top_level = self.depth == 1;
        self.out.push('{');
        let body_start = self.out.len();
        let base = self.members.len();
        self.skip_whitespace();
        if self.peek() == Some(b'}') {
            self.pos += 1;
        } else {
            loop {
                self.skip_whitespace();
                if self.peek() != Some(b'"') {
                    return Err(self.error("expected a string key in an object"));
                }
                if self.members.len() > base {
                    self.out.push(',');
                }
                let start = self.out.len();
                self.string()?;
                let (key_start, key_end) = (start + 1, self.out.len() - 1);
                let index = array_index(&self.out[key_start..key_end]);
                self.expect(b':', "expected ':' after a key")?;
                self.out.push(':');
                self.skip_whitespace();
                let value_start = self.out.len();
                let number = if matches!(self.peek(), Some(b'-' | b'0'..=b'9')) {
                    self.number()?
                } else {
                    self.value()?;
                    Number::Finite
                };
                if top_level && &self.out[key_start..key_end] == "id" {
                    self.id = id_text(&self.out[value_start..], number);
                }
                self.members.push(Member {
                    key_start,
                    key_end,
                    start,
                    end: self.out.len(),
                    index,
                });
                self.skip_whitespace();
                match self.peek() {
                    Some(b',') => self.pos += 1,
                    Some(b'}') => {
                        self.pos += 1;
                        break;
                    }
                    _ => return Err(self.error("expected ',' or '}' in an object")),
                }
            }
        }
        self.reorder(base, body_start);
        self.members.truncate(base);
        self.out.push('}');
        self.depth -= 1;
        Ok(())
    }

    /// Puts the object's members, written in the order read, in V8's order:
    /// array indices ascending, then the other keys in the order of their
    /// first occurrence, each with the value of its last (`JSON.parse`
    /// defines properties one by one, so a repeated key overwrites).
    fn reorder(&mut self, base: usize, body_start: usize) {
        let members = &self.members[base..];
        let has_index = members.iter().any(|m| m.index.is_some());
        let key = |m: &Member| &self.out.as_bytes()[m.key_start..m.key_end];
        // Escaped keys compare as the keys do: the escaping is one-to-one.
        let mut by_key: Vec<usize> = (0..members.len()).collect();
        by_key.sort_by(|&a, &b| key(&members[a]).cmp(key(&members[b])).then(a.cmp(&b)));
        let repeated = by_key
            .windows(2)
            .any(|w| key(&members[w[0]]) == key(&members[w[1]]));
        if !has_index && !repeated {
            return;
        }
        // (first position, member holding the last value) per distinct key.
        let mut kept: Vec<(usize, usize)> = Vec::with_capacity(members.len());
        for group in by_key.chunk_by(|&a, &b| key(&members[a]) == key(&members[b])) {
            if let (Some(&first), Some(&last)) = (group.first(), group.last()) {
                kept.push((first, last));
            }
        }
        kept.sort_by_key(|&(first, _)| {
            (members[first].index.is_none(), members[first].index, first)
        });
        let mut body = String::with_capacity(self.out.len() - body_start);
        for (n, &(_, last)) in kept.iter().enumerate() {
            if n > 0 {
                body.push(',');
            }
            body.push_str(&self.out[members[last].start..members[last].end]);
        }
        self.out.truncate(body_start);
        self.out.push_str(&body);
    }

    /// Reads a string and writes it as `JSON.stringify` quotes it (ECMA-262
    /// `QuoteJSONString`): `"` and `\` escaped, `\b \f \n \r \t` as such,
    /// other controls as `\u00xx` in lowercase, everything else literal.
    fn string(&mut self) -> Result<(), WebhookError> {
        self.pos += 1;
        self.out.push('"');
        loop {
            let run_start = self.pos;
            while let Some(b) = self.peek() {
                if b == b'"' || b == b'\\' || b < 0x20 {
                    break;
                }
                self.pos += 1;
            }
            self.out.push_str(&self.text[run_start..self.pos]);
            match self.peek() {
                Some(b'"') => {
                    self.pos += 1;
                    self.out.push('"');
                    return Ok(());
                }
                Some(b'\\') => self.escape()?,
                Some(_) => return Err(self.error("a control character in a string")),
                None => return Err(self.error("the body ends inside a string")),
            }
        }
    }

    fn escape(&mut self) -> Result<(), WebhookError> {
        let start = self.pos;
        self.pos += 1;
        let c = match self.peek() {
            Some(b'"') => '"',
            Some(b'\\') => '\\',
            Some(b'/') => '/',
            Some(b'b') => '\u{8}',
            Some(b'f') => '\u{c}',
            Some(b'n') => '\n',
            Some(b'r') => '\r',
            Some(b't') => '\t',
            Some(b'u') => {
                self.pos += 1;
                let unit = self.hex4()?;
                let code = match unit {
                    0xD800..=0xDBFF => {
                        let after_high = self.pos;
                        if self.bytes[self.pos..].starts_with(b"\\u") {
                            self.pos += 2;
                            let low = self.hex4()?;
                            if (0xDC00..=0xDFFF).contains(&low) {
                                0x10000 + ((unit - 0xD800) << 10) + (low - 0xDC00)
                            } else {
                                // Not a pair: the next escape stands alone.
                                self.pos = after_high;
                                unit
                            }
                        } else {
                            unit
                        }
                    }
                    _ => unit,
                };
                // Every code but a surrogate's is a char.
                let c = char::from_u32(code).unwrap_or_else(|| {
                    self.lone_surrogate.get_or_insert(start);
                    char::REPLACEMENT_CHARACTER
                });
                write_char(&mut self.out, c);
                return Ok(());
            }
            _ => return Err(self.error("an invalid escape in a string")),
        };
        self.pos += 1;
        write_char(&mut self.out, c);
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, WebhookError> {
        let digits = self
            .bytes
            .get(self.pos..self.pos + 4)
            .ok_or(self.error("a \\u escape needs four hex digits"))?;
        let mut unit = 0;
        for &digit in digits {
            let value = char::from(digit)
                .to_digit(16)
                .ok_or(self.error("a \\u escape needs four hex digits"))?;
            unit = unit * 16 + value;
        }
        self.pos += 4;
        Ok(unit)
    }

    /// Reads a number and writes it as `Number::toString` (ECMA-262 section
    /// 6.1.6.1.20) prints the double it rounds to.
    fn number(&mut self) -> Result<Number, WebhookError> {
        let start = self.pos;
        let negative = self.peek() == Some(b'-');
        if negative {
            self.pos += 1;
        }
        match self.peek() {
            Some(b'0') => {
                self.pos += 1;
                if matches!(self.peek(), Some(b'0'..=b'9')) {
                    return Err(self.error("a number has no leading zeros"));
                }
            }
            Some(b'1'..=b'9') => self.digits(),
            _ => return Err(self.error("a number needs a digit here")),
        }
        let int_end = self.pos;
        if self.peek() == Some(b'.') {
            self.pos += 1;
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs a digit after '.'"));
            }
            self.digits();
        }
        if let Some(b'e' | b'E') = self.peek() {
            self.pos += 1;
            if let Some(b'+' | b'-') = self.peek() {
                self.pos += 1;
            }
            if !matches!(self.peek(), Some(b'0'..=b'9')) {
                return Err(self.error("a number needs a digit in its exponent"));
            }
            self.digits();
        }
        let lexeme = &self.text[start..self.pos];
        let digits = int_end - start - usize::from(negative);
        // An integer of at most 15 digits is a double exactly, and prints
        // as its own digits: only `-0` is written otherwise.
        if self.pos == int_end && digits <= 15 && lexeme != "-0" {
            self.out.push_str(lexeme);
            return Ok(Number::Finite);
        }
        // Rust's float parsing rounds correctly, as ECMA-262 section 7.1.4.1.1 asks.
        let value: f64 = lexeme
            .parse()
            .map_err(|_| self.error("a number that does not parse"))?;
        if value.is_finite() {
            self.out
                .push_str(ryu_js::Buffer::new().format_finite(value));
            Ok(Number::Finite)
        } else {
            // JSON.parse reads it as an infinity, which JSON.stringify writes as null.
            self.out.push_str("null");
            Ok(Number::Infinite { negative })
        }
    }

    fn digits(&mut self) {
        while let Some(b'0'..=b'9') = self.peek() {
            self.pos += 1;
        }
    }
}

/// What a number was read as, for `${data.id}`.
#[derive(Debug, Clone, Copy)]
enum Number {
    Finite,
    Infinite { negative: bool },
}

/// Writes one code point of a string as `QuoteJSONString` does.
fn write_char(out: &mut String, c: char) {
    match c {
        '"' => out.push_str("\\\""),
        '\\' => out.push_str("\\\\"),
        '\u{8}' => out.push_str("\\b"),
        '\u{c}' => out.push_str("\\f"),
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0'..='\u{1f}' => {
            const HEX: &[u8; 16] = b"0123456789abcdef";
            let code = c as usize;
            out.push_str("\\u00");
            out.push(char::from(HEX[code >> 4]));
            out.push(char::from(HEX[code & 0xf]));
        }
        _ => out.push(c),
    }
}

/// The key as an array index: the canonical decimal form (no sign, no
/// leading zero but `0` itself) of an integer up to 2^32 - 2.
fn array_index(key: &str) -> Option<u32> {
    let bytes = key.as_bytes();
    let canonical = match bytes {
        [b'0'] => true,
        [b'1'..=b'9', rest @ ..] => rest.len() < 10 && rest.iter().all(u8::is_ascii_digit),
        _ => false,
    };
    if !canonical {
        return None;
    }
    key.parse::<u64>()
        .ok()
        .filter(|&n| n <= MAX_ARRAY_INDEX)
        .and_then(|n| u32::try_from(n).ok())
}

/// `${data.id}` for the canonical text of the id's value, when JavaScript
/// finds it truthy (the SDK refuses a falsy id).
fn id_text(value: &str, number: Number) -> Result<String, &'static str> {
    match (value.as_bytes().first(), number) {
        (_, Number::Infinite { negative: false }) => Ok("Infinity".to_owned()),
        (_, Number::Infinite { negative: true }) => Ok("-Infinity".to_owned()),
        (Some(b'"'), _) => {
            let text = unescape(&value[1..value.len() - 1]);
            if text.is_empty() {
                Err("the id is an empty string")
            } else {
                Ok(text)
            }
        }
        // `${data.id}` of an object is "[object Object]", unless it has its own
        // `toString` key, when it throws; of an array, its items joined. Neither
        // is an event id, and neither is guessed at.
        (Some(b'{'), _) => {
            Err("the id is an object, whose text in the signature this crate does not reproduce")
        }
        (Some(b'['), _) => {
            Err("the id is an array, whose text in the signature this crate does not reproduce")
        }
        (Some(b't'), _) => Ok("true".to_owned()),
        (Some(b'f'), _) => Err("the id is false"),
        (Some(b'n'), _) => Err("the id is null"),
        _ if value == "0" => Err("the id is 0"),
        _ => Ok(value.to_owned()),
    }
}

/// The string a canonical quoted text (without its quotes) stands for.
fn unescape(escaped: &str) -> String {
    let mut text = String::with_capacity(escaped.len());
    let mut rest = escaped;
    while let Some(backslash) = rest.find('\\') {
        text.push_str(&rest[..backslash]);
        let escape = &rest[backslash + 1..];
        let (c, len) = match escape.as_bytes().first() {
            Some(b'b') => ('\u{8}', 1),
            Some(b'f') => ('\u{c}', 1),
            Some(b'n') => ('\n', 1),
            Some(b'r') => ('\r', 1),
            Some(b't') => ('\t', 1),
            Some(b'u') => {
                // Only `\u00xx` is written, for controls.
                let code = escape
                    .get(1..5)
                    .and_then(|hex| u32::from_str_radix(hex, 16).ok())
                    .and_then(char::from_u32)
                    .unwrap_or('\u{fffd}');
                (code, 5)
            }
            Some(&other) => (char::from(other), 1),
            None => break,
        };
        text.push(c);
        rest = &escape[len..];
    }
    text.push_str(rest);
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    fn canonical(body: &str) -> String {
        canonical_json(body.as_bytes()).unwrap_or_else(|e| panic!("{body}: {e}"))
    }

    fn refused(body: &str) -> WebhookError {
        canonical_json(body.as_bytes()).expect_err(body)
    }

    // Every expected value here is what Node 20 prints for
    // `JSON.stringify(JSON.parse(body))` (the reference's list, and more).
    #[test]
    fn numbers_print_as_ecmascript_does() {
        for (body, expected) in [
            ("1.0", "1"),
            ("1e21", "1e+21"),
            ("1e20", "100000000000000000000"),
            ("-0", "0"),
            ("-0.0", "0"),
            ("1E+2", "100"),
            ("12345678901234567890", "12345678901234567000"),
            ("9007199254740993", "9007199254740992"),
            ("999999999999999", "999999999999999"),
            ("5e-324", "5e-324"),
            ("0.000001", "0.000001"),
            ("1e-7", "1e-7"),
            ("0.1", "0.1"),
            ("1.5e300", "1.5e+300"),
            ("1e400", "null"),
            ("-1e400", "null"),
            ("2.5E-3", "0.0025"),
            ("123.456e2", "12345.6"),
        ] {
            assert_eq!(canonical(body), expected, "{body}");
        }
    }

    #[test]
    fn strings_escape_as_json_stringify_does() {
        assert_eq!(
            canonical(r#""caf\u00e9 \u2028 \/ \" \\ \b\f\n\r\t \u0001 \u001F \u007f""#),
            "\"café \u{2028} / \\\" \\\\ \\b\\f\\n\\r\\t \\u0001 \\u001f \u{7f}\""
        );
        assert_eq!(canonical(r#""\ud83d\ude00 😀""#), "\"😀 😀\"");
        assert_eq!(
            refused(r#""\ud800""#),
            WebhookError::LoneSurrogate { offset: 1 }
        );
        assert_eq!(
            refused(r#""a\udc00""#),
            WebhookError::LoneSurrogate { offset: 2 }
        );
        assert_eq!(
            refused(r#""\ud800\u0041""#),
            WebhookError::LoneSurrogate { offset: 1 }
        );
        // A lone surrogate in a body V8 refuses anyway is not JSON.
        assert!(matches!(
            refused(r#"["\ud800",]"#),
            WebhookError::NotJson { .. }
        ));
        assert!(matches!(
            refused(r#""\uda36\"#),
            WebhookError::NotJson { .. }
        ));
    }

    #[test]
    fn keys_go_in_v8_order() {
        assert_eq!(
            canonical(
                r#"{"b":1,"10":"x","2":"y","a":2,"4294967294":0,"4294967295":0,"01":0,"-1":0,"0":0}"#
            ),
            r#"{"0":0,"2":"y","10":"x","4294967294":0,"b":1,"a":2,"4294967295":0,"01":0,"-1":0}"#
        );
        assert_eq!(
            canonical(r#"{"dup":1,"x":2,"dup":3,"1":4,"1":5}"#),
            r#"{"1":5,"dup":3,"x":2}"#
        );
        assert_eq!(canonical(r#"{"\u0061":1,"a":2}"#), r#"{"a":2}"#);
        assert_eq!(
            canonical(r#"{"o":{"b":1,"a":{"z":0,"0":0}},"a":[{"y":1,"y":2},{}]}"#),
            r#"{"o":{"b":1,"a":{"0":0,"z":0}},"a":[{"y":2},{}]}"#
        );
    }

    #[test]
    fn whitespace_goes_and_only_json_whitespace_is_allowed() {
        assert_eq!(
            canonical(" \t\r\n{ \"a\" : [ 1 , { } , [ ] ] }\n"),
            r#"{"a":[1,{},[]]}"#
        );
        for body in ["\u{feff}{}", "{}\u{a0}", "\u{b}{}", "{}\u{c}"] {
            assert!(
                matches!(refused(body), WebhookError::NotJson { .. }),
                "{body:?}"
            );
        }
    }

    #[test]
    fn refuses_what_json_parse_refuses() {
        for body in [
            "",
            "01",
            "-",
            "1.",
            ".5",
            "+1",
            "1e",
            "1e+",
            "[1,]",
            "{\"a\":1,}",
            "{a:1}",
            "'a'",
            "\"\t\"",
            "\"\\x\"",
            "\"\\u12\"",
            "nul",
            "[",
            "{\"a\"}",
            "NaN",
            "Infinity",
            "[] []",
            "\"abc",
            "// c\n{}",
            "-01",
            "1.0e",
            "tru",
            "{\"a\" 1}",
        ] {
            assert!(
                matches!(refused(body), WebhookError::NotJson { .. }),
                "{body:?}"
            );
        }
        assert_eq!(
            refused("[01]"),
            WebhookError::NotJson {
                offset: 2,
                reason: "a number has no leading zeros"
            }
        );
        assert_eq!(
            canonical_json(b"\"\xff\"").expect_err("not UTF-8"),
            WebhookError::NotJson {
                offset: 1,
                reason: "not UTF-8"
            }
        );
    }

    #[test]
    fn nesting_is_limited() {
        let deep = |n: usize| format!("{}{}", "[".repeat(n), "]".repeat(n));
        assert_eq!(canonical(&deep(MAX_DEPTH)), deep(MAX_DEPTH));
        assert_eq!(
            refused(&deep(MAX_DEPTH + 1)),
            WebhookError::TooDeep { limit: MAX_DEPTH }
        );
        let objects = format!(
            "{}1{}",
            "{\"a\":".repeat(MAX_DEPTH + 1),
            "}".repeat(MAX_DEPTH + 1)
        );
        assert_eq!(
            refused(&objects),
            WebhookError::TooDeep { limit: MAX_DEPTH }
        );
        // Past the limit the body is still read to its end, without
        // recursion: what V8 refuses is not JSON however deep, and what it
        // takes is too deep however deep.
        let million = deep(1_000_000);
        assert_eq!(
            refused(&million),
            WebhookError::TooDeep { limit: MAX_DEPTH }
        );
        let broken = format!("{}[1,]{}", "[".repeat(MAX_DEPTH), "]".repeat(MAX_DEPTH));
        assert!(matches!(refused(&broken), WebhookError::NotJson { .. }));
        let nested = format!(
            r#"{}{{"a":[{{}},{{"b":"\u0041"}}]}}{}"#,
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert_eq!(refused(&nested), WebhookError::TooDeep { limit: MAX_DEPTH });
        let unclosed = format!(
            r#"{}{{"a":1{}"#,
            "[".repeat(MAX_DEPTH),
            "]".repeat(MAX_DEPTH)
        );
        assert!(matches!(refused(&unclosed), WebhookError::NotJson { .. }));
    }

    #[test]
    fn the_id_reads_as_a_template_literal_prints_it() {
        let id = |body: &str| canonicalize(body.as_bytes()).expect(body).id;
        assert_eq!(id(r#"{"id":"evt_1"}"#), Ok("evt_1".to_owned()));
        assert_eq!(
            id(r#"{"id":"a\"\u00e9\n\u0001"}"#),
            Ok("a\"é\n\u{1}".to_owned())
        );
        assert_eq!(id(r#"{"id":1.50}"#), Ok("1.5".to_owned()));
        assert_eq!(id(r#"{"id":1e21}"#), Ok("1e+21".to_owned()));
        assert_eq!(id(r#"{"id":1e400}"#), Ok("Infinity".to_owned()));
        assert_eq!(id(r#"{"id":-1e400}"#), Ok("-Infinity".to_owned()));
        assert_eq!(id(r#"{"id":true}"#), Ok("true".to_owned()));
        assert_eq!(id(r#"{"id":"x","id":"y"}"#), Ok("y".to_owned()));
        for falsy in [
            r#"{"id":""}"#,
            r#"{"id":0}"#,
            r#"{"id":-0.0}"#,
            r#"{"id":false}"#,
            r#"{"id":null}"#,
            r#"{"ID":"x"}"#,
            r#"{"a":{"id":"x"}}"#,
            "[]",
            r#""id""#,
        ] {
            assert!(id(falsy).is_err(), "{falsy}");
        }
        assert!(id(r#"{"id":[1]}"#).is_err());
        assert!(id(r#"{"id":{}}"#).is_err());
    }
}
