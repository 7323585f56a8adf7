// Errors as one types, for the static account forms marked [data-live-validation]. Each field carries
// its rules and their messages (in the page's language, the same words the server uses) as data-live-*
// attributes. A field is checked once it has been left, then at every keystroke; a form with errors
// left is not sent, and the first one gets the focus. The server checks everything again: without
// scripts the form works as before. A submit button with [data-busy-text] says the form is on its way
// and cannot be pressed twice.
(() => {
    'use strict';

    const checks = [
        ['liveRequired', (input) => input.type === 'checkbox' ? input.checked : input.value.trim() !== ''],
        ['liveEmail', (input) => input.value.trim() === '' || /^[^\s@]+@[^\s@]+$/.test(input.value.trim())],
        ['livePattern', (input) => input.value.trim() === '' || new RegExp(`^(?:${input.dataset.livePatternRule})$`).test(input.value.trim())],
        ['liveLength', (input) => {
            const length = input.value.length;
            return length === 0 || (length >= Number(input.dataset.liveMin || 0) && length <= Number(input.dataset.liveMax || Infinity));
        }],
        ['liveMatch', (input) => input.value === (document.getElementById(input.dataset.liveMatchField) || {}).value],
        ['livePast', (input) => {
            if (input.value === '') {
                return true;
            }
            const born = new Date(`${input.value}T00:00:00`);
            const today = new Date();
            const oldest = new Date(today.getFullYear() - 120, today.getMonth(), today.getDate());
            return born <= today && born >= oldest;
        }],
    ];

    function messageFor(input) {
        for (const [rule, passes] of checks) {
            if (input.dataset[rule] !== undefined && !passes(input)) {
                return input.dataset[rule];
            }
        }
        return '';
    }

    function show(input) {
        const message = messageFor(input);
        const id = `${input.id}-live-error`;
        let box = document.getElementById(id);
        if (!box) {
            box = document.createElement('div');
            box.id = id;
            box.className = 'text-danger live-error';
            box.setAttribute('aria-live', 'polite');
            // The server's own message for this field, if the page came back with one, gives way to the live one.
            const host = input.closest('.form-floating, .form-check, .mb-3') || input.parentElement;
            host.querySelectorAll('.validation-message').forEach(old => old.remove());
            host.appendChild(box);
            const described = (input.getAttribute('aria-describedby') || '').split(' ').filter(Boolean);
            input.setAttribute('aria-describedby', [...described, id].join(' '));
        }
        box.textContent = message;
        input.classList.toggle('is-invalid', message !== '');
        if (message) {
            input.setAttribute('aria-invalid', 'true');
        } else {
            input.removeAttribute('aria-invalid');
        }
        return message === '';
    }

    function fields(form) {
        return [...form.querySelectorAll('input, select, textarea')].filter(input =>
            checks.some(([rule]) => input.dataset[rule] !== undefined));
    }

    function watch(form) {
        if (form.dataset.liveValidationStarted) {
            return;
        }
        form.dataset.liveValidationStarted = 'true';
        for (const input of fields(form)) {
            input.addEventListener('blur', () => {
                input.dataset.liveTouched = 'true';
                show(input);
            });
            const again = () => {
                if (input.dataset.liveTouched) {
                    show(input);
                }
                // A confirmation follows the field it must match.
                form.querySelectorAll(`[data-live-match-field="${CSS.escape(input.id)}"]`).forEach(other => {
                    if (other.dataset.liveTouched) {
                        show(other);
                    }
                });
            };
            input.addEventListener('input', again);
            input.addEventListener('change', again);
        }
    }

    function start() {
        document.querySelectorAll('form[data-live-validation]').forEach(watch);
    }

    // Capture on the document runs before any listener on the form (the bot check's among them): a form
    // with errors stops here and goes nowhere.
    document.addEventListener('submit', event => {
        const form = event.target;
        if (!(form instanceof HTMLFormElement) || !form.matches('[data-live-validation]')) {
            return;
        }
        const wrong = fields(form).filter(input => {
            input.dataset.liveTouched = 'true';
            return !show(input);
        });
        if (wrong.length > 0) {
            event.preventDefault();
            event.stopImmediatePropagation();
            wrong[0].focus();
        }
    }, true);

    // Bubbling to the document comes after the form's own listeners: if none held the form back, it is going.
    document.addEventListener('submit', event => {
        const form = event.target;
        if (event.defaultPrevented || !(form instanceof HTMLFormElement)) {
            return;
        }
        const button = (event.submitter && event.submitter.dataset.busyText !== undefined) ? event.submitter
            : form.querySelector('[type=submit][data-busy-text]');
        if (button && button.dataset.busyText !== undefined) {
            button.dataset.idleText = button.textContent;
            button.textContent = button.dataset.busyText;
            button.setAttribute('aria-disabled', 'true');
            form.setAttribute('aria-busy', 'true');
            // Disabled only after the form's data is taken, so the button's own name and value still go.
            setTimeout(() => { button.disabled = true; });
        }
    });

    // Back from the next page (the browser's page cache), the button is ready again.
    window.addEventListener('pageshow', () => {
        document.querySelectorAll('[data-busy-text][data-idle-text]').forEach(button => {
            button.textContent = button.dataset.idleText;
            button.disabled = false;
            button.removeAttribute('aria-disabled');
            button.closest('form')?.removeAttribute('aria-busy');
        });
    });

    if (document.readyState === 'loading') {
        document.addEventListener('DOMContentLoaded', start);
    } else {
        start();
    }
    // Pages reached by Blazor's enhanced navigation are patched in without loading scripts again.
    if (window.Blazor && typeof window.Blazor.addEventListener === 'function') {
        window.Blazor.addEventListener('enhancedload', start);
    }
})();
