import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './App.js';
import './console.css';

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
