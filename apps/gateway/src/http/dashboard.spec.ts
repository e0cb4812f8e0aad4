import { dashboardCsp } from './dashboard';

const directive = (csp: string, name: string) => csp.split('; ').find((part) => part.startsWith(`${name} `));

describe("the dashboard's Content-Security-Policy", () => {
  it('allows only its own scripts and styles, and no inline code', () => {
    const csp = dashboardCsp(['http://127.0.0.1:3000']);
    expect(directive(csp, 'default-src')).toBe("default-src 'none'");
    expect(directive(csp, 'script-src')).toBe("script-src 'self'");
    expect(directive(csp, 'style-src')).toBe("style-src 'self'");
    expect(csp).not.toMatch(/unsafe-(inline|eval)/);
    expect(directive(csp, 'frame-ancestors')).toBe("frame-ancestors 'none'");
  });

  it('lets outputs play and uploads go to the public base URL when it is another host than the page', () => {
    const csp = dashboardCsp(['https://videos.example.com', 'https://videos.example.com']);
    for (const name of ['media-src', 'img-src', 'connect-src']) expect(directive(csp, name)).toContain("'self' https://videos.example.com");
    expect(directive(csp, 'media-src')).toBe("media-src 'self' https://videos.example.com");
  });
});
