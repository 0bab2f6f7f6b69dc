// The tool's identity as the machine-readable reports state it (SARIF tool.driver, JUnit suite name).
import { packageJson as rootPackageJson } from '../package-root.js';

interface PackageJson {
  name: string;
  version: string;
  homepage?: string;
  repository?: string | { url?: string };
}

// Read once, by package-root.ts.
function packageJson(): PackageJson {
  return rootPackageJson() as unknown as PackageJson;
}

export const TOOL_NAME = 'conn-lint';

export function toolVersion(): string {
  return packageJson().version;
}

/** The project's page: package.json `homepage`, else its repository, else its npm page. */
export function informationUri(): string {
  const p = packageJson();
  if (p.homepage && /^https?:\/\//.test(p.homepage)) return p.homepage;
  const repo = typeof p.repository === 'string' ? p.repository : p.repository?.url;
  const m = repo && /github\.com[/:]([^/]+\/[^/.]+)/.exec(repo);
  if (m) return `https://github.com/${m[1]}`;
  return `https://www.npmjs.com/package/${p.name}`;
}
