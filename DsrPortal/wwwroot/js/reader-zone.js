// Tells the portal the reader's time zone (the browser's own setting), so pages show times on the reader's
// clock: a cookie the server reads when a page is rendered. Kept a year; rewritten when the zone changes.
(() => {
    'use strict';
    let zone;
    try {
        zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
    } catch {
        return;
    }
    const name = '.DsrPortal.TimeZone';
    if (!zone || document.cookie.split('; ').includes(`${name}=${encodeURIComponent(zone)}`)) {
        return;
    }
    const secure = location.protocol === 'https:' ? '; Secure' : '';
    document.cookie = `${name}=${encodeURIComponent(zone)}; Path=/; Max-Age=31536000; SameSite=Lax${secure}`;
})();
