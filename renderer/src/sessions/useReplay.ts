import { useEffect, useMemo } from 'react';
import { compileFlow } from '../../../runtime/flow/compileFlow.ts';
import { replaySession, type ReplayResult } from '../../../runtime/history/replaySession.ts';
import { transcriptSteps, type TranscriptStep } from '../../../runtime/history/transcriptSteps.ts';
import { useDocument } from '../store/useDocument.ts';
import { useSessions } from './useSessions.ts';

const PLAY_INTERVAL_MS = 900;

export interface Replay {
  steps: TranscriptStep[];
  /** the open session replayed through the current draft */
  result: ReplayResult;
  /** steps shown (1..steps.length) */
  step: number;
}

/**
 * The open session's recorded steps replayed through the draft as it is now (so an edit re-flags
 * the steps at once), and the play timer that moves the replay one step at a time.
 */
export function useReplay(): Replay | null {
  const transcript = useSessions((s) => s.transcript);
  const step = useSessions((s) => s.step);
  const playing = useSessions((s) => s.playing);
  const flow = useDocument((s) => s.flow);
  const steps = useMemo(() => (transcript ? transcriptSteps(transcript.entries) : []), [transcript]);
  const result = useMemo(() => replaySession(compileFlow(flow), steps), [flow, steps]);

  useEffect(() => {
    if (!playing) return;
    const timer = setInterval(() => {
      const s = useSessions.getState();
      if (s.step >= steps.length) s.setPlaying(false);
      else s.setStep(s.step + 1);
    }, PLAY_INTERVAL_MS);
    return () => clearInterval(timer);
  }, [playing, steps.length]);

  const shown = Math.min(step, steps.length);
  return useMemo(() => (transcript ? { steps, result, step: shown } : null), [transcript, steps, result, shown]);
}
