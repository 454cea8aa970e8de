/**
 * A small getopt for the built-in commands: `-abc` bundles, `-n5` and `-n 5`, `--lines=5` and
 * `--lines 5`, `--` to end options. Errors read like GNU coreutils' (`head: invalid option -- 'z'`).
 */

/** One option a command accepts. */
export interface OptionSpec {
  /** Key in the result, e.g. `lines`. */
  name: string;
  short?: string;
  long?: string;
  /** True when the option takes a value. */
  value?: boolean;
}

/** Options given (value, or `true` for a switch; the last one wins) and the remaining operands. */
export interface ParsedOptions {
  options: Map<string, string | true>;
  operands: string[];
}

/** Parses `args`; returns an error message instead when an option is unknown or lacks its value. */
export function parseOptions(
  command: string,
  args: readonly string[],
  specs: readonly OptionSpec[],
): ParsedOptions | string {
  const options = new Map<string, string | true>();
  const operands: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--') {
      operands.push(...args.slice(i + 1));
      break;
    }
    if (arg.startsWith('--')) {
      const eq = arg.indexOf('=');
      const name = eq < 0 ? arg.slice(2) : arg.slice(2, eq);
      const spec = specs.find((s) => s.long === name);
      if (!spec) return `${command}: unrecognized option '${arg}'`;
      if (spec.value) {
        const value = eq >= 0 ? arg.slice(eq + 1) : args[++i];
        if (value === undefined) return `${command}: option '--${name}' requires an argument`;
        options.set(spec.name, value);
      } else {
        if (eq >= 0) return `${command}: option '--${name}' doesn't allow an argument`;
        options.set(spec.name, true);
      }
      continue;
    }
    if (arg.startsWith('-') && arg.length > 1) {
      for (let k = 1; k < arg.length; k++) {
        const letter = arg[k]!;
        const spec = specs.find((s) => s.short === letter);
        if (!spec) return `${command}: invalid option -- '${letter}'`;
        if (spec.value) {
          const rest = arg.slice(k + 1);
          const value = rest !== '' ? rest : args[++i];
          if (value === undefined) return `${command}: option requires an argument -- '${letter}'`;
          options.set(spec.name, value);
          break;
        }
        options.set(spec.name, true);
      }
      continue;
    }
    operands.push(arg);
  }
  return { options, operands };
}

/** Parses a non-negative whole number option value, or returns undefined. */
export function parseCount(value: string | true | undefined): number | undefined {
  if (typeof value !== 'string' || !/^\d{1,9}$/.test(value)) return undefined;
  return Number(value);
}
