import { useState } from 'preact/hooks';
import { navigate } from '../router';

/** "Find a job/batch by id": goes to its page, which says so when there is none. */
export function FindById({ label, hrefFor, name }: { label: string; name: string; hrefFor: (id: string) => string }) {
  const [value, setValue] = useState('');
  return (
    <form
      class="find"
      role="search"
      onSubmit={(event) => {
        event.preventDefault();
        if (value.trim()) navigate(hrefFor(value.trim()));
      }}
    >
      <label class="field field--inline">
        <span class="field__label">{label}</span>
        <input
          type="search"
          name={name}
          value={value}
          onInput={(e) => setValue(e.currentTarget.value)}
          placeholder="id"
          spellcheck={false}
          autoComplete="off"
        />
      </label>
      <button type="submit" class="button">
        Open
      </button>
    </form>
  );
}
