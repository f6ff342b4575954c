import type { PageProps } from './page';

/** The pages the dashboard issue has yet to build hold their place in the navigation. */
export default function ComingSoonPage({ title }: PageProps) {
  return (
    <>
      <h1 tabIndex={-1}>{title}</h1>
      <p>
        This page is not built yet. Everything it will show is in the API already: see the{' '}
        <a href="/docs">API documentation</a>.
      </p>
    </>
  );
}
