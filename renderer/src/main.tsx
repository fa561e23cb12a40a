import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import '@xyflow/react/dist/style.css';
import './theme/studio.css';
import { App } from './App.tsx';
import { getStudioHost } from './host/getStudioHost.ts';

createRoot(document.getElementById('root')!).render(
  <StrictMode>
    <App host={getStudioHost()} />
  </StrictMode>,
);
