/** The extension's version; a test keeps it equal to package.json's. */
export const EXTENSION_VERSION = '0.1.0';
