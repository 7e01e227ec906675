/** What kubemock prints once it listens: where the API and the dashboard are, the kubeconfig, and a command to paste. */

export interface BannerFacts {
  version: string;
  /** The API server's URL. */
  url: string;
  /** The dashboard's URL. */
  dashboardUrl: string;
  /** The kubeconfig's absolute path. */
  kubeconfigPath: string;
}

/** Quotes a path for a POSIX shell only when it needs it, so the printed command pastes as is. */
export function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replaceAll("'", `'\\''`)}'`;
}

export function startupBanner(facts: BannerFacts): string {
  return (
    `kubemock ${facts.version} is serving the Kubernetes API at ${facts.url}\n` +
    `kubeconfig written to ${facts.kubeconfigPath}; try:\n` +
    `  kubectl --kubeconfig ${shellQuote(facts.kubeconfigPath)} get nodes\n` +
    `dashboard: ${facts.dashboardUrl}\n`
  );
}
