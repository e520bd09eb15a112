/**
 * The lines that patches/cos-nodejs-sdk-v5+3.0.0.patch changes, as esbuild minifies them (the
 * names differ, the code does not): what a bundle of the SDK as patched holds, and what one of
 * the SDK as published holds instead.
 */
export const MINIFIED_COS_SDK = {
  patched: [
    /if\((\w+)&&\1\.error\)try\{let \w+=\1\.error\.Code/,
    /\w+&&(\w+)\.Action!=="name\/cos:PutObject"&&!\(\1\.body&&\1\.body\.pipe\)&&!\1\.outputStream&&\w+<4/,
  ],
  published: [
    /;try\{let \w+=(\w+)\.error\.Code,\w+=\1\.error\.Message/,
    /[,;(]\w+&&!\((\w+)\.body&&\1\.body\.pipe\)&&!\1\.outputStream&&\w+<4/,
  ],
};

/** Which of the two forms `text` holds, of each of the two changes. */
export const cosSdkForms = (text: string) => ({
  patched: MINIFIED_COS_SDK.patched.map((p) => p.test(text)),
  published: MINIFIED_COS_SDK.published.map((p) => p.test(text)),
});
