/**
 * A JSON parser that, unlike `JSON.parse`, remembers keys that appear twice in one object, so the
 * API server can report `duplicate field "spec.paused"` as kube-apiserver does. Syntax errors use
 * the wording of Go's encoding/json, which is what a real cluster answers with.
 */
import type { Json, JsonObject } from '../objects.ts';

/** A syntax error with Go's wording: `invalid character 'x' looking for beginning of value`. */
export class JsonSyntaxError extends Error {
  readonly offset: number;
  constructor(message: string, offset: number) {
    super(message);
    this.name = 'JsonSyntaxError';
    this.offset = offset;
  }
}

/** A parsed document plus, for each object that repeated a key, its entries in text order. */
export interface ParsedJson {
  value: Json;
  /** Every entry of objects that had a duplicate key, repeats included, in the order written. */
  entriesWithDuplicates: WeakMap<JsonObject, [string, Json][]>;
}

/**
 * Sets an own property even for the key `__proto__`, which plain assignment would turn into a
 * prototype change (JSON.parse makes it an ordinary property too).
 */
export function setOwnProperty(object: JsonObject, key: string, value: Json): void {
  if (key === '__proto__') {
    Object.defineProperty(object, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    object[key] = value;
  }
}

/** The entries of an object in the order they were written, repeated keys included. */
export function entriesInTextOrder(parsed: ParsedJson | undefined, object: JsonObject): [string, Json][] {
  return parsed?.entriesWithDuplicates.get(object) ?? Object.entries(object);
}

/** Go quotes the offending byte like a rune literal: 'x', '"', '\n'. */
function quoteCharacter(character: string): string {
  switch (character) {
    case '\n':
      return "'\\n'";
    case '\r':
      return "'\\r'";
    case '\t':
      return "'\\t'";
    case "'":
      return "'\\''";
    default:
      return `'${character}'`;
  }
}

const WHITESPACE = new Set([' ', '\t', '\n', '\r']);
const NUMBER_PATTERN = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Parser {
  private position = 0;
  readonly entriesWithDuplicates = new WeakMap<JsonObject, [string, Json][]>();
  private readonly text: string;

  constructor(text: string) {
    this.text = text;
  }

  private fail(context: string): never {
    const character = this.text[this.position];
    if (character === undefined) throw new JsonSyntaxError('unexpected end of JSON input', this.position);
    throw new JsonSyntaxError(`invalid character ${quoteCharacter(character)} ${context}`, this.position);
  }

  private skipWhitespace(): void {
    while (WHITESPACE.has(this.text[this.position] ?? '')) this.position += 1;
  }

  parseDocument(): Json {
    this.skipWhitespace();
    const value = this.parseValue();
    this.skipWhitespace();
    if (this.position < this.text.length) this.fail('after top-level value');
    return value;
  }

  private parseValue(): Json {
    const character = this.text[this.position];
    switch (character) {
      case '{':
        return this.parseObject();
      case '[':
        return this.parseArray();
      case '"':
        return this.parseString();
      case 't':
        return this.parseKeyword('true', true);
      case 'f':
        return this.parseKeyword('false', false);
      case 'n':
        return this.parseKeyword('null', null);
      default:
        if (character !== undefined && (character === '-' || (character >= '0' && character <= '9'))) {
          return this.parseNumber();
        }
        return this.fail('looking for beginning of value');
    }
  }

  private parseKeyword(word: string, value: Json): Json {
    for (let i = 0; i < word.length; i += 1) {
      if (this.text[this.position] !== word[i]) this.fail(`in literal ${word} (expecting '${word[i]}')`);
      this.position += 1;
    }
    return value;
  }

  private parseNumber(): number {
    NUMBER_PATTERN.lastIndex = this.position;
    const match = NUMBER_PATTERN.exec(this.text);
    if (!match) {
      this.position += 1;
      return this.fail('in numeric literal');
    }
    this.position += match[0].length;
    return Number(match[0]);
  }

  private parseString(): string {
    const start = this.position + 1;
    let end = start;
    // Fast path: no escapes, so the text between the quotes is the string.
    while (end < this.text.length) {
      const code = this.text.charCodeAt(end);
      if (code === 0x22 || code === 0x5c || code < 0x20) break;
      end += 1;
    }
    if (this.text[end] === '"') {
      this.position = end + 1;
      return this.text.slice(start, end);
    }
    this.position = start;
    let result = '';
    for (;;) {
      const character = this.text[this.position];
      if (character === undefined) return this.fail('');
      if (character === '"') {
        this.position += 1;
        return result;
      }
      if (character.charCodeAt(0) < 0x20) this.fail('in string literal');
      if (character !== '\\') {
        result += character;
        this.position += 1;
        continue;
      }
      const escaped = this.text[this.position + 1];
      this.position += 2;
      switch (escaped) {
        case '"':
        case '\\':
        case '/':
          result += escaped;
          break;
        case 'b':
          result += '\b';
          break;
        case 'f':
          result += '\f';
          break;
        case 'n':
          result += '\n';
          break;
        case 'r':
          result += '\r';
          break;
        case 't':
          result += '\t';
          break;
        case 'u': {
          const hex = this.text.slice(this.position, this.position + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) this.fail('in \\u hexadecimal character escape');
          result += String.fromCharCode(Number.parseInt(hex, 16));
          this.position += 4;
          break;
        }
        default:
          this.position -= 1;
          this.fail('in string escape code');
      }
    }
  }

  private parseArray(): Json[] {
    this.position += 1;
    const items: Json[] = [];
    this.skipWhitespace();
    if (this.text[this.position] === ']') {
      this.position += 1;
      return items;
    }
    for (;;) {
      this.skipWhitespace();
      items.push(this.parseValue());
      this.skipWhitespace();
      const next = this.text[this.position];
      if (next === ',') {
        this.position += 1;
        continue;
      }
      if (next === ']') {
        this.position += 1;
        return items;
      }
      this.fail('after array element');
    }
  }

  private parseObject(): JsonObject {
    this.position += 1;
    const object: JsonObject = {};
    let entries: [string, Json][] | undefined;
    let duplicated = false;
    this.skipWhitespace();
    if (this.text[this.position] === '}') {
      this.position += 1;
      return object;
    }
    for (;;) {
      this.skipWhitespace();
      if (this.text[this.position] !== '"') this.fail('looking for beginning of object key string');
      const key = this.parseString();
      this.skipWhitespace();
      if (this.text[this.position] !== ':') this.fail('after object key');
      this.position += 1;
      this.skipWhitespace();
      const value = this.parseValue();
      if (Object.hasOwn(object, key)) duplicated = true;
      // Keep text order only while it may be needed; most objects never repeat a key.
      entries ??= [];
      entries.push([key, value]);
      setOwnProperty(object, key, value);
      this.skipWhitespace();
      const next = this.text[this.position];
      if (next === ',') {
        this.position += 1;
        continue;
      }
      if (next === '}') {
        this.position += 1;
        if (duplicated) this.entriesWithDuplicates.set(object, entries);
        return object;
      }
      this.fail('after object key:value pair');
    }
  }
}

/**
 * Parses JSON text, recording repeated keys. As in Go, the last value of a repeated key wins.
 * Throws JsonSyntaxError on malformed input.
 */
export function parseJsonText(text: string): ParsedJson {
  const parser = new Parser(text);
  const value = parser.parseDocument();
  return { value, entriesWithDuplicates: parser.entriesWithDuplicates };
}
