// The phone's top bar: one button opens and closes the menu holding the language and the account (app.css hides
// the button from 600 pixels up, where both sit in the bar). Escape or a click elsewhere closes it.
(function () {
    'use strict';

    function setOpen(toggle, open) {
        var menu = document.getElementById(toggle.getAttribute('aria-controls'));
        if (!menu) {
            return;
        }
        toggle.setAttribute('aria-expanded', open ? 'true' : 'false');
        menu.classList.toggle('open', open);
    }

    document.addEventListener('click', function (event) {
        var toggle = document.querySelector('.topbar-toggle');
        if (!toggle) {
            return;
        }
        if (toggle.contains(event.target)) {
            setOpen(toggle, toggle.getAttribute('aria-expanded') !== 'true');
        } else if (!event.target.closest('.topbar-menu')) {
            setOpen(toggle, false);
        }
    });

    document.addEventListener('keydown', function (event) {
        var toggle = document.querySelector('.topbar-toggle');
        if (event.key === 'Escape' && toggle && toggle.getAttribute('aria-expanded') === 'true') {
            setOpen(toggle, false);
            toggle.focus();
        }
    });
})();

// Asked once by the live layout: whether the side menu would lie over the page.
window.dsrPortal = window.dsrPortal || {};
window.dsrPortal.viewportWidth = function () { return window.innerWidth; };
