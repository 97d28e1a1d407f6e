/** Types of scripts/tronbox-compiler.js (plain JS so that `npm run compile:tron` needs no tsx). */
export declare const TRONBOX: string;
export declare const CACHED_SOLC: string;
export declare function ensureTronboxCompiler(options?: { quiet?: boolean }): boolean;
