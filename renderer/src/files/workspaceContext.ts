/**
 * Hands the one workspace store (created by App) to the components below it: `useWorkspace(selector)`
 * reads a slice, `useWorkspaceStore()` the store itself; both throw outside the provider.
 */
import { createContext, useContext } from 'react';
import { useStore } from 'zustand';
import { useShallow } from 'zustand/react/shallow';
import type { Workspace, WorkspaceStore } from './createWorkspaceStore.ts';

export const WorkspaceContext = createContext<WorkspaceStore | null>(null);

/** The workspace store API. */
export function useWorkspaceStore(): WorkspaceStore {
  const store = useContext(WorkspaceContext);
  if (!store) throw new Error('useWorkspace* was called outside <WorkspaceContext.Provider>: App provides it.');
  return store;
}

/** Selects a slice of the workspace, compared shallowly. */
export function useWorkspace<T>(selector: (workspace: Workspace) => T): T {
  return useStore(useWorkspaceStore(), useShallow(selector));
}
