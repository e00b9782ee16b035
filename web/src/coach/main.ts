import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './App.js';
import './coach.css';

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
