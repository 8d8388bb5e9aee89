/**
 * The readers and writers of STXM PhaseMap: stacks (NXstxm in its dialects,
 * aXis2000 .hdr + .xim, multi-page TIFF + energies), reference spectra
 * (CSV, two-column text, line/point spectra scans), and the OD stack and
 * spectra writers.
 */
export { StackReadError, StackTooLargeError, oneLine } from './errors.js';
export { createH5Runtime, describeH5Error } from './h5.js';
export type { H5FileSystem, H5ModuleLike, H5Runtime } from './h5.js';
export {
  ALL_STACK_EXTENSIONS,
  STACK_EXTENSIONS,
  companionFiles,
  detectStackFormat,
  readScan,
  readStack
} from './read.js';
export type { ReadOptions, StackFormat } from './read.js';
export { readNxstxm, readNxstxmHeader, listNxstxmRegions, MAX_VALUES } from './nxstxm.js';
export type { NxstxmOptions, RegionSummary } from './nxstxm.js';
export { readAxis2000, axis2000DataFiles } from './axis2000.js';
export type { Axis2000Options } from './axis2000.js';
export { readTiffStack, energyListNames } from './tiff-stack.js';
export type { TiffOptions } from './tiff-stack.js';
export { fsFileAccess, memoryFileAccess } from './files.js';
export type { FileAccess } from './files.js';
export { scanKindOf, describeKind } from './scan.js';
export { describeFile, describeScan, formatFileInfo } from './describe.js';
export type { DescribeOptions, FileInfo } from './describe.js';
export {
  REFERENCE_EXTENSIONS,
  combineReferences,
  parseReferenceText,
  readReferences,
  referencesFromTexts
} from './references-read.js';
export type { ReadReferencesOptions, ReferenceInput } from './references-read.js';
export { parseSpectrumText } from './references-text.js';
export { spectraFromScan } from './scan-spectra.js';
export type { ScanSpectraOptions } from './scan-spectra.js';
export { writeNxstxm } from './nxstxm-write.js';
export { writeOdStack, meanSpectrum, formatSpectraCsv } from './od-write.js';
export { cleanText, lengthToMicrometres, repairString } from './text.js';
