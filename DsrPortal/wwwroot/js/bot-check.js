// The portal's bot check in the browser: each form with a [data-bot-check] box starts solving its
// challenge as soon as the page shows (in a worker), and a form sent before the answer is ready waits
// for it. Without scripts, or if the worker cannot run, the form still goes: the server then accepts
// it once a short wait has passed since the page was shown (the accessible fallback).
(() => {
    'use strict';

    function start(box) {
        if (box.dataset.botCheckStarted) {
            return;
        }
        box.dataset.botCheckStarted = 'true';
        const form = box.closest('form');
        const challenge = box.querySelector('input[name="bot-challenge"]').value;
        const answer = box.querySelector('input[name="bot-answer"]');
        const status = box.querySelector('[data-bot-check-status]');
        let ready = false;
        let pending = null;

        const finish = (text) => {
            ready = true;
            status.textContent = text;
            if (pending) {
                const submitter = pending.submitter;
                pending = null;
                form.requestSubmit(submitter && submitter.form === form ? submitter : undefined);
            }
        };

        form.addEventListener('submit', event => {
            if (!ready) {
                event.preventDefault();
                pending = { submitter: event.submitter };
                status.textContent = box.dataset.working;
            }
        });

        try {
            const worker = new Worker(box.dataset.worker);
            worker.onmessage = event => {
                answer.value = event.data.answer;
                worker.terminate();
                finish(box.dataset.done);
            };
            worker.onerror = () => finish(box.dataset.failed);
            worker.postMessage({ challenge, difficulty: Number(box.dataset.difficulty) });
        } catch {
            finish(box.dataset.failed);
        }
    }

    function startAll() {
        document.querySelectorAll('[data-bot-check]').forEach(start);
    }

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', startAll);
    } else {
        startAll();
    }

    // Pages reached by Blazor's enhanced navigation are patched in without loading scripts again.
    if (window.Blazor && typeof window.Blazor.addEventListener === 'function') {
        window.Blazor.addEventListener('enhancedload', startAll);
    }
})();
