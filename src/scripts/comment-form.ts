/**
 * Progressive enhancement of the comment form: "Reply" moves the form under the comment
 * instead of reloading the page, and "Cancel reply" puts it back. The URL is kept in step
 * (?replyto=<id>#respond), so a reload shows the same state the no-JavaScript way. A reply
 * form the server rendered (after ?replyto= or a failed reply) is moved under its comment too.
 * Without this script every link and form works as plain HTML.
 */
const form = document.querySelector<HTMLFormElement>('form#respond');

if (form) {
  const home = document.createComment('respond-home');
  form.before(home);
  const title = form.querySelector<HTMLElement>('#respond-title')!;
  const { replyTitle = '', newTitle = '', cancelLabel = '' } = form.dataset;

  const parentInput = (): HTMLInputElement => {
    let input = form.querySelector<HTMLInputElement>('input[name="parent"]');
    if (!input) {
      input = Object.assign(document.createElement('input'), { type: 'hidden', name: 'parent' });
      form.append(input);
    }
    return input;
  };

  const cancelLink = (): HTMLAnchorElement => {
    let link = form.querySelector<HTMLAnchorElement>('.replying-to a');
    if (!link) {
      const p = Object.assign(document.createElement('p'), { className: 'replying-to' });
      link = Object.assign(document.createElement('a'), { href: `${location.pathname}#respond`, textContent: cancelLabel });
      p.append(link);
      title.after(p);
    }
    return link;
  };

  const cancel = (event?: Event) => {
    event?.preventDefault();
    home.after(form);
    form.querySelector('input[name="parent"]')?.remove();
    form.querySelector('.replying-to')?.remove();
    title.textContent = newTitle;
    history.replaceState(null, '', `${location.pathname}#respond`);
  };

  /** Puts the form right after the card of comment `id`; false when that comment is not on the page. */
  const placeUnder = (id: string): boolean => {
    const card = document.querySelector(`#comment-${CSS.escape(id)} > article`);
    if (!card) return false;
    card.after(form);
    return true;
  };

  // The server rendered a reply form (?replyto=, or a failed reply): show it under its comment.
  const rendered = form.querySelector<HTMLInputElement>('input[name="parent"]')?.value;
  if (rendered && placeUnder(rendered) && location.hash === '#respond') form.scrollIntoView({ block: 'start' });

  document.addEventListener('click', (event) => {
    const target = event.target as HTMLElement;
    const reply = target.closest<HTMLAnchorElement>('a.reply-link[data-reply-to]');
    if (reply) {
      event.preventDefault();
      const id = reply.dataset.replyTo!;
      const author = document.getElementById(`comment-${id}-author`)?.textContent ?? '';
      placeUnder(id);
      parentInput().value = id;
      title.textContent = replyTitle.replace('{name}', author);
      cancelLink();
      history.replaceState(null, '', `${location.pathname}?replyto=${id}#respond`);
      form.querySelector<HTMLTextAreaElement>('textarea[name="comment"]')?.focus();
    } else if (target.closest('.replying-to a')) {
      cancel(event);
    }
  });
}
