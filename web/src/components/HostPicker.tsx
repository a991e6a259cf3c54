import { useState, type FormEvent } from 'react';
import { config, hostPath } from '../config';

const HOST = /^[A-Za-z0-9][A-Za-z0-9._-]*$/;

/**
 * Which host (tenant) the app shows, and a form to open another. Switching
 * loads the app under `/h/{host}/`: its client, cache and every link start
 * afresh for that host. An empty host is the service's default one.
 */
export function HostPicker() {
  const [value, setValue] = useState(config.host ?? '');
  const [problem, setProblem] = useState<string | null>(null);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const host = value.trim();
    if (host && (!HOST.test(host) || host.length > 253)) {
      setProblem('A host is letters, digits, dots, dashes and underscores, starting with a letter or digit, e.g. lightapi.net.');
      return;
    }
    window.location.assign(hostPath(host || null, '/', config.configuredBasename));
  };
  return (
    <form className="card search host-picker" onSubmit={submit} noValidate aria-label="Choose a host">
      <p>
        Host: <strong data-testid="current-host">{config.host ?? 'the default host'}</strong>
      </p>
      <div className="field">
        <label htmlFor="host">Open another host</label>
        <input
          id="host"
          name="host"
          autoComplete="off"
          spellCheck={false}
          placeholder="lightapi.net (empty: the default host)"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'host-problem' : undefined}
        />
        {problem ? (
          <p className="field-error" id="host-problem" role="alert">
            {problem}
          </p>
        ) : null}
      </div>
      <button type="submit">Open host</button>
    </form>
  );
}
