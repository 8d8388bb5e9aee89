/**
 * Any tree of HDF5 groups, datasets and attributes written with h5wasm (Node):
 * the NXstxm dialects' test writers, bad inputs, reference and result files.
 */
import h5wasm from 'h5wasm/node';
import type { Group } from 'h5wasm';

type Attrs = Record<string, string | number | string[] | number[]>;

function putAttrs(
  target: { create_attribute: Group['create_attribute'] },
  attrs: Attrs = {}
): void {
  for (const [k, v] of Object.entries(attrs)) {
    if (typeof v === 'number') {
      target.create_attribute(k, v, null, Number.isInteger(v) ? '<i4' : '<d');
    } else {
      target.create_attribute(k, v as string | string[]);
    }
  }
}

export interface FieldSpec {
  data: Float64Array | Float32Array | number[] | string | string[];
  shape?: number[];
  dtype?: string;
  attrs?: Attrs;
}

/** A group tree: `{ name: FieldSpec | { group: attrs, children } }`. */
export interface GroupSpec {
  attrs?: Attrs;
  children: Record<string, FieldSpec | GroupSpec>;
}

const isGroupSpec = (v: FieldSpec | GroupSpec): v is GroupSpec => 'children' in v;

function writeTree(g: Group, spec: GroupSpec): void {
  putAttrs(g, spec.attrs);
  for (const [name, child] of Object.entries(spec.children)) {
    if (isGroupSpec(child)) {
      writeTree(g.create_group(name), child);
    } else {
      const data =
        typeof child.data === 'string'
          ? child.data
          : Array.isArray(child.data) && typeof child.data[0] === 'string'
            ? (child.data as string[])
            : child.data instanceof Float32Array
              ? child.data
              : Float64Array.from(child.data as ArrayLike<number>);
      const ds = g.create_dataset({
        name,
        data,
        shape: child.shape ?? null,
        dtype:
          child.dtype ??
          (typeof data === 'string' || Array.isArray(data)
            ? null
            : data instanceof Float32Array
              ? '<f'
              : '<d')
      });
      putAttrs(ds, child.attrs);
    }
  }
}

/** Write any tree of groups and datasets as an HDF5 file. */
export function writeTreeFile(path: string, root: GroupSpec): void {
  const file = new h5wasm.File(path, 'w');
  try {
    writeTree(file, root);
  } finally {
    file.close();
  }
}
