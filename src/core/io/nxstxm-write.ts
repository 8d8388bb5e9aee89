/**
 * Writer for NXstxm image stacks in the SLS PolLux (Pixelator) layout, the
 * one every NXstxm reader understands: `/entry1/counter0/{data, energy,
 * sample_y, sample_x, count_time, stxm_scan_type}` with `axes`/`signal`/
 * `*_indices` attributes, and the ring current in `/entry1/control`.
 */
import type { Group } from 'h5wasm';

import { assertStackConsistent, stackShape, type Stack } from '../model/stack.js';
import type { H5Runtime } from './h5.js';

const AXES = ['energy', 'sample_y', 'sample_x'];

function nxData(group: Group, nxClass: string): void {
  group.create_attribute('NX_class', nxClass);
  group.create_attribute('signal', 'data');
  group.create_attribute('axes', AXES);
  group.create_attribute('energy_indices', 0, null, '<i4');
  group.create_attribute('sample_y_indices', 1, null, '<i4');
  group.create_attribute('sample_x_indices', 2, null, '<i4');
}

function axesData(group: Group, stack: Stack): void {
  group
    .create_dataset({ name: 'energy', data: stack.energies, dtype: '<d' })
    .create_attribute('units', 'eV');
  group
    .create_dataset({ name: 'sample_y', data: stack.y, dtype: '<d' })
    .create_attribute('units', 'µm');
  group
    .create_dataset({ name: 'sample_x', data: stack.x, dtype: '<d' })
    .create_attribute('units', 'µm');
}

/**
 * Write a stack as NXstxm. An optical-density stack is marked (`long_name`
 * and `quantity` attributes of the data) so that the reader reads it back as
 * optical density.
 */
export function writeNxstxm(runtime: H5Runtime, path: string, stack: Stack): void {
  assertStackConsistent(stack);
  const shape = [...stackShape(stack)];
  const file = new runtime.File(path, 'w');
  try {
    file.create_attribute('NX_class', 'NXroot');
    const entry = file.create_group('entry1');
    entry.create_attribute('NX_class', 'NXentry');
    entry.create_dataset({ name: 'definition', data: ['NXstxm'] });
    if (stack.metadata.title) {
      entry.create_dataset({ name: 'title', data: [stack.metadata.title] });
    }
    if (stack.metadata.startTime) {
      entry.create_dataset({ name: 'start_time', data: [stack.metadata.startTime] });
    }
    const collection = entry.create_group('collection');
    collection.create_attribute('NX_class', 'NXcollection');
    if (stack.metadata.beamline) {
      collection.create_dataset({ name: 'beamline', data: [stack.metadata.beamline] });
    }

    const counter = entry.create_group('counter0');
    nxData(counter, 'NXdata');
    const data = counter.create_dataset({ name: 'data', data: stack.data, shape, dtype: '<f' });
    if (stack.metadata.quantity === 'optical density') {
      data.create_attribute('long_name', 'optical density -ln(I/I0)');
      data.create_attribute('quantity', 'optical density');
    }
    axesData(counter, stack);
    counter.create_dataset({ name: 'stxm_scan_type', data: [stack.metadata.scanType] });
    if (stack.metadata.dwellMs) {
      counter
        .create_dataset({
          name: 'count_time',
          data: Float64Array.from(stack.metadata.dwellMs, ms => ms / 1000),
          dtype: '<d'
        })
        .create_attribute('units', 's');
    }

    if (stack.control) {
      const control = entry.create_group('control');
      nxData(control, 'NXmonitor');
      control
        .create_dataset({ name: 'data', data: stack.control, shape, dtype: '<f' })
        .create_attribute('units', 'mA');
      axesData(control, stack);
    }
  } finally {
    file.close();
  }
}
