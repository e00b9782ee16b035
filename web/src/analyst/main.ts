import { render } from 'preact';
import { html } from 'htm/preact';
import { App } from './App.js';
import './analyst.css';

const root = document.getElementById('app');
if (root) render(html`<${App} />`, root);
