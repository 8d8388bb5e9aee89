/**
 * The checkers behind the parameter model (param-specs.ts): each knows a
 * kind of value (a number in a range, a choice, 'auto' or a number, the I0
 * and mask objects), its JSON Schema, its command-line form, and says what it
 * wanted when a value does not fit.
 */

/** A JSON value as parameters carry them. */
export type Value = string | number | boolean | null | Value[] | { [key: string]: Value };

export interface Checker {
  metavar: string;
  schema: Record<string, Value>;
  check(value: unknown, fail: (what: string) => never): unknown;
  parse?(text: string, fail: (what: string) => never): unknown;
}

export function numberChecker(
  min: number,
  max: number,
  options: { integer?: boolean; exclusiveMin?: boolean; metavar?: string } = {}
): Checker {
  const what = `${options.integer ? 'an integer' : 'a number'} in ${options.exclusiveMin ? '(' : ''}${fmt(min)}…${fmt(max)}`;
  return {
    metavar: options.metavar ?? (options.integer ? 'N' : 'X'),
    schema: {
      type: options.integer ? 'integer' : 'number',
      ...(options.exclusiveMin ? { exclusiveMinimum: min } : { minimum: min }),
      maximum: max
    },
    check(v, fail) {
      if (
        typeof v !== 'number' ||
        !Number.isFinite(v) ||
        (options.exclusiveMin ? !(v > min) : !(v >= min)) ||
        !(v <= max) ||
        (options.integer === true && !Number.isInteger(v))
      ) {
        fail(what);
      }
      return v;
    },
    parse(text, fail) {
      const t = text.trim();
      return t === '' ? fail(what) : this.check(Number(t), fail);
    }
  };
}

export const booleanChecker: Checker = {
  metavar: 'on|off',
  schema: { type: 'boolean' },
  check(v, fail) {
    return typeof v === 'boolean' ? v : fail('true or false');
  },
  parse(text, fail) {
    const t = text.trim().toLowerCase();
    if (['on', 'true', 'yes', '1'].includes(t)) {
      return true;
    }
    if (['off', 'false', 'no', '0'].includes(t)) {
      return false;
    }
    return fail('on or off');
  }
};

export function choiceChecker(values: readonly string[]): Checker {
  return {
    metavar: values.join('|'),
    schema: { type: 'string', enum: [...values] },
    check(v, fail) {
      return typeof v === 'string' && values.includes(v) ? v : fail(`one of ${values.join(', ')}`);
    }
  };
}

/** 'auto' or a value of `inner`. */
export function autoOr(inner: Checker): Checker {
  return {
    metavar: `auto|${inner.metavar}`,
    schema: { oneOf: [{ const: 'auto' }, inner.schema] },
    check(v, fail) {
      return v === 'auto' ? 'auto' : inner.check(v, w => fail(`"auto" or ${w}`));
    },
    parse(text, fail) {
      const failAuto = (w: string): never => fail(`"auto" or ${w}`);
      if (text.trim() === 'auto') {
        return 'auto';
      }
      return inner.parse ? inner.parse(text, failAuto) : inner.check(text, failAuto);
    }
  };
}

export const alignChecker: Checker = {
  metavar: 'auto|on|off',
  schema: { oneOf: [{ const: 'auto' }, { type: 'boolean' }] },
  check(v, fail) {
    if (v === 'auto' || typeof v === 'boolean') {
      return v;
    }
    if (v === 'on' || v === 'off') {
      return v === 'on';
    }
    return fail('"auto", true or false');
  },
  parse(text, fail) {
    const t = text.trim().toLowerCase();
    return t === 'auto'
      ? 'auto'
      : (booleanChecker.parse as NonNullable<Checker['parse']>)(t, () => fail('auto, on or off'));
  }
};

export const energyShiftChecker: Checker = {
  metavar: 'auto|off|EV',
  schema: { oneOf: [{ const: 'auto' }, { type: 'number', minimum: -20, maximum: 20 }] },
  check(v, fail) {
    if (v === 'auto') {
      return 'auto';
    }
    if (v === 'off') {
      return 0;
    }
    if (typeof v === 'number' && Number.isFinite(v) && Math.abs(v) <= 20) {
      return v;
    }
    return fail('"auto", "off" or a shift in −20…20 eV');
  },
  parse(text, fail) {
    const t = text.trim().toLowerCase();
    return t === 'auto' || t === 'off'
      ? this.check(t, fail)
      : this.check(t === '' ? NaN : Number(t), fail);
  }
};

export function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Own keys only: `__proto__`, `constructor` … are keys like any other, never inherited members. */
export function ownKeys(v: Record<string, unknown>): string[] {
  return Object.keys(v);
}

export function get(v: Record<string, unknown>, key: string): unknown {
  return Object.prototype.hasOwnProperty.call(v, key) ? v[key] : undefined;
}

const finiteList = (v: unknown, max: number): v is number[] =>
  Array.isArray(v) &&
  v.length >= 1 &&
  v.length <= max &&
  v.every(x => typeof x === 'number' && Number.isFinite(x));

export const i0Checker: Checker = {
  metavar: 'auto|roi:Y0,Y1,X0,X1|FILE',
  schema: {
    oneOf: [
      {
        type: 'object',
        properties: { mode: { const: 'auto' } },
        required: ['mode'],
        additionalProperties: false
      },
      {
        type: 'object',
        properties: {
          mode: { const: 'roi' },
          y0: { type: 'integer', minimum: 0 },
          y1: { type: 'integer', minimum: 1 },
          x0: { type: 'integer', minimum: 0 },
          x1: { type: 'integer', minimum: 1 }
        },
        required: ['mode', 'y0', 'y1', 'x0', 'x1'],
        additionalProperties: false
      },
      {
        type: 'object',
        properties: {
          mode: { const: 'spectrum' },
          values: { type: 'array', items: { type: 'number' } },
          energies: { type: 'array', items: { type: 'number' } },
          dwellMs: { type: 'number', exclusiveMinimum: 0 },
          ringCurrentMa: { type: 'number', exclusiveMinimum: 0 },
          source: { type: 'string' }
        },
        required: ['mode', 'values'],
        additionalProperties: false
      }
    ]
  },
  check(v, fail) {
    if (!isObject(v)) {
      return fail(
        '{"mode": "auto"}, {"mode": "roi", y0, y1, x0, x1} or {"mode": "spectrum", values, …}'
      );
    }
    const mode = get(v, 'mode');
    const allow = (keys: string[]): void => {
      const extra = ownKeys(v).filter(k => !keys.includes(k));
      if (extra.length) {
        fail(`an I0 of mode "${String(mode)}" without the key(s) ${extra.join(', ')}`);
      }
    };
    if (mode === 'auto') {
      allow(['mode']);
      return { mode: 'auto' };
    }
    if (mode === 'roi') {
      allow(['mode', 'y0', 'y1', 'x0', 'x1']);
      const [y0, y1, x0, x1] = ['y0', 'y1', 'x0', 'x1'].map(k => get(v, k));
      const ints = [y0, y1, x0, x1].every(
        n => typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= 1e6
      );
      if (!ints || !((y1 as number) > (y0 as number)) || !((x1 as number) > (x0 as number))) {
        fail('a region of whole pixels with y0 < y1 and x0 < x1');
      }
      return {
        mode: 'roi',
        y0: y0 as number,
        y1: y1 as number,
        x0: x0 as number,
        x1: x1 as number
      };
    }
    if (mode === 'spectrum') {
      allow(['mode', 'values', 'energies', 'dwellMs', 'ringCurrentMa', 'source']);
      const values = get(v, 'values');
      const energies = get(v, 'energies');
      const dwellMs = get(v, 'dwellMs');
      const ringCurrentMa = get(v, 'ringCurrentMa');
      const source = get(v, 'source');
      if (!finiteList(values, 100_000) || !values.every(x => x > 0)) {
        fail('an I0 spectrum of 1 to 100 000 positive numbers');
      }
      if (
        energies !== undefined &&
        (!finiteList(energies, 100_000) || energies.length !== (values as number[]).length)
      ) {
        fail('I0 energies: one finite number per I0 value');
      }
      for (const [k, x] of [
        ['dwellMs', dwellMs],
        ['ringCurrentMa', ringCurrentMa]
      ] as const) {
        if (x !== undefined && !(typeof x === 'number' && x > 0 && Number.isFinite(x))) {
          fail(`a positive ${k}`);
        }
      }
      if (source !== undefined && (typeof source !== 'string' || source.length > 1000)) {
        fail('a source name of at most 1000 characters');
      }
      return {
        mode: 'spectrum',
        values: values as number[],
        ...(energies !== undefined ? { energies: energies as number[] } : {}),
        ...(dwellMs !== undefined ? { dwellMs: dwellMs as number } : {}),
        ...(ringCurrentMa !== undefined ? { ringCurrentMa: ringCurrentMa as number } : {}),
        ...(source !== undefined ? { source: source as string } : {})
      };
    }
    return fail('an I0 of mode "auto", "roi" or "spectrum"');
  },
  parse(text, fail) {
    const t = text.trim();
    if (t === 'auto') {
      return { mode: 'auto' };
    }
    const m = /^roi:(\d+),(\d+),(\d+),(\d+)$/.exec(t);
    if (m) {
      const [y0, y1, x0, x1] = m.slice(1).map(Number);
      return this.check({ mode: 'roi', y0, y1, x0, x1 }, fail);
    }
    // anything else names an I0 file; the command line reads it (src/cli/params.ts)
    return { mode: 'file', path: t };
  }
};

export const maskChecker: Checker = {
  metavar: 'otsu|OD',
  schema: {
    oneOf: [
      {
        type: 'object',
        properties: { mode: { const: 'otsu' } },
        required: ['mode'],
        additionalProperties: false
      },
      {
        type: 'object',
        properties: {
          mode: { const: 'threshold' },
          od: { type: 'number', minimum: -10, maximum: 100 }
        },
        required: ['mode', 'od'],
        additionalProperties: false
      }
    ]
  },
  check(v, fail) {
    if (isObject(v) && get(v, 'mode') === 'otsu' && ownKeys(v).length === 1) {
      return { mode: 'otsu' };
    }
    const od = isObject(v) ? get(v, 'od') : undefined;
    if (
      isObject(v) &&
      get(v, 'mode') === 'threshold' &&
      ownKeys(v).length === 2 &&
      typeof od === 'number' &&
      Number.isFinite(od) &&
      od >= -10 &&
      od <= 100
    ) {
      return { mode: 'threshold', od };
    }
    return fail('{"mode": "otsu"} or {"mode": "threshold", "od": a mean OD in −10…100}');
  },
  parse(text, fail) {
    const t = text.trim();
    return t === 'otsu'
      ? { mode: 'otsu' }
      : this.check({ mode: 'threshold', od: t === '' ? NaN : Number(t) }, fail);
  }
};

function fmt(v: number): string {
  return v === 2 ** 32 - 1 ? '2³²−1' : String(v);
}
