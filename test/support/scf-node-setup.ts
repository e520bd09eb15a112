import { fetchScfNode } from '../../scripts/scf-node';

/** Fetched once, before any test file runs, for the tests that load the bundle on SCF's Node. */
export default function setup(): void {
  fetchScfNode();
}
