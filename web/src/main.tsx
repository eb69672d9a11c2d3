// Preact's checks of what is rendered, in development builds only.
if (import.meta.env.DEV) await import('preact/debug');

import { render } from 'preact';
import { App } from './app';
import './styles.css';

const root = document.getElementById('app');
if (root) render(<App />, root);
