import { readFile } from 'node:fs/promises';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  hitCount?: number;
}

interface CpuProfile {
  nodes: ProfileNode[];
  startTime: number;
  endTime: number;
}

export interface ProfileShare {
  name: string;
  percent: number;
}

/** Self time of a `node --cpu-prof` profile by function and by where the code lives (package, node internals, GC, idle). */
export async function summarizeProfile(path: string, top = 20): Promise<{ functions: ProfileShare[]; places: ProfileShare[] }> {
  const profile = JSON.parse(await readFile(path, 'utf8')) as CpuProfile;
  const total = profile.nodes.reduce((sum, node) => sum + (node.hitCount ?? 0), 0) || 1;
  const byFunction = new Map<string, number>();
  const byPlace = new Map<string, number>();
  for (const node of profile.nodes) {
    const hits = node.hitCount ?? 0;
    if (hits === 0) continue;
    const { functionName, url, lineNumber } = node.callFrame;
    const file = url.replace(/^file:\/\//, '');
    const name = `${functionName || '(anonymous)'} ${file === '' ? '' : `${shortPath(file)}:${lineNumber + 1}`}`.trim();
    byFunction.set(name, (byFunction.get(name) ?? 0) + hits);
    byPlace.set(placeOf(functionName, file), (byPlace.get(placeOf(functionName, file)) ?? 0) + hits);
  }
  const shares = (map: Map<string, number>, limit: number): ProfileShare[] =>
    [...map.entries()]
      .sort((a, b) => b[1] - a[1])
      .slice(0, limit)
      .map(([name, hits]) => ({ name, percent: Number(((100 * hits) / total).toFixed(1)) }));
  return { functions: shares(byFunction, top), places: shares(byPlace, top) };
}

function shortPath(file: string): string {
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) return file.slice(modules + 'node_modules/'.length);
  const workspace = /\/((?:apps|packages|kit|instrumenting)\/.*)$/.exec(file);
  return workspace?.[1] ?? file;
}

/** `(garbage collector)`, `node internals`, an npm package, or a workspace package. */
function placeOf(functionName: string, file: string): string {
  if (file === '') return functionName.startsWith('(') ? functionName : '(native)';
  if (file.startsWith('node:')) return `node:${file.slice(5).split('/')[0]}`;
  const modules = file.lastIndexOf('node_modules/');
  if (modules >= 0) {
    const parts = file.slice(modules + 'node_modules/'.length).split('/');
    return parts[0]!.startsWith('@') ? `${parts[0]}/${parts[1]}` : parts[0]!;
  }
  const workspace = /\/((?:apps|packages|kit|instrumenting)\/[^/]+)\//.exec(file);
  return workspace?.[1] ?? file;
}
