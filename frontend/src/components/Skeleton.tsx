/** Grey placeholders in the shape of what is loading, so the page does not jump. */
export function Skeleton({ lines = 3, card = false }: { lines?: number; card?: boolean }) {
  return (
    <div className={card ? 'skeleton-card' : 'skeleton'} aria-hidden="true">
      {Array.from({ length: lines }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <span key={i} className="skeleton-line" style={{ width: `${90 - ((i * 17) % 40)}%` }} />
      ))}
    </div>
  );
}

export function LoadingCards({ count = 3, label }: { count?: number; label: string }) {
  return (
    <div className="card-grid" role="status" aria-label={label}>
      {Array.from({ length: count }, (_, i) => (
        // biome-ignore lint/suspicious/noArrayIndexKey: placeholders have no identity
        <div key={i} className="card">
          <div className="skeleton-media" />
          <Skeleton lines={2} />
        </div>
      ))}
    </div>
  );
}
