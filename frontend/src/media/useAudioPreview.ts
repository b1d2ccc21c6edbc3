import { useCallback, useEffect, useRef, useState } from 'react';

/**
 * Plays one preview at a time: starting another stops the first, and a
 * second press on the playing one stops it. Fetches are aborted when
 * superseded or when the screen goes away.
 */
export function useAudioPreview(onError: (err: unknown) => void) {
  const [playing, setPlaying] = useState<string | null>(null);
  const [loading, setLoading] = useState<string | null>(null);
  const audio = useRef<HTMLAudioElement | null>(null);
  const fetching = useRef<AbortController | null>(null);
  const objectUrl = useRef<string | null>(null);

  const stop = useCallback(() => {
    fetching.current?.abort();
    audio.current?.pause();
    if (objectUrl.current) URL.revokeObjectURL(objectUrl.current);
    objectUrl.current = null;
    setPlaying(null);
    setLoading(null);
  }, []);

  useEffect(() => stop, [stop]);

  const toggle = useCallback(
    async (key: string, load: (signal: AbortSignal) => Promise<Blob>) => {
      const wasPlaying = playing === key || loading === key;
      stop();
      if (wasPlaying) return;
      const controller = new AbortController();
      fetching.current = controller;
      setLoading(key);
      try {
        const blob = await load(controller.signal);
        if (controller.signal.aborted) return;
        objectUrl.current = URL.createObjectURL(blob);
        const player = new Audio(objectUrl.current);
        audio.current = player;
        player.onended = () => setPlaying(null);
        setLoading(null);
        setPlaying(key);
        await player.play();
      } catch (err) {
        if (!controller.signal.aborted) onError(err);
        setLoading(null);
        setPlaying(null);
      }
    },
    [playing, loading, stop, onError],
  );

  return { playing, loading, toggle, stop };
}
