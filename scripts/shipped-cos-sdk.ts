import { patchCosSdkOnRequire } from './build/cos-sdk-patch';

/*
 * Imported first by what runs the function's sources instead of its bundle (npm run invoke and
 * replay, every test file): from here on, the COS SDK loads as the bundle ships it.
 */
patchCosSdkOnRequire();
