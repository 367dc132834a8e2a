// Every word the widget shows, Dutch first. A new language is one more object of the same shape.

export type Lang = 'nl' | 'en';

const nl = {
  launcher: 'Chat met de gemeente',
  title: 'Chat met de gemeente',
  closePanel: 'Chat sluiten',
  back: 'Terug',
  retry: 'Probeer opnieuw',
  loading: 'Even geduld…',

  topicsHeading: 'Waarover gaat uw vraag?',
  topicsIntro: 'Kies een onderwerp. Wij helpen u via de chat of bellen u terug.',
  topicsError: 'Het lukt nu niet om de onderwerpen op te halen.',
  topicOpen: 'Nu open',
  topicClosed: 'Nu gesloten',
  topicNextOpen: (when: string) => `Weer open ${when}`,
  topicCallback: 'Nu geen medewerker vrij: wij bellen u terug',
  waitLabel: 'Wachttijd',
  onlineHeading: 'Dit kunt u ook online regelen',
  notice: 'Let op',
  departmentKinds: {
    reduced: 'Beperkt bereikbaar',
    appointment_only: 'Alleen op afspraak',
    unreachable: 'Niet bereikbaar',
  } as Record<string, string>,
  noticeUntil: (when: string) => `tot ${when}`,

  waitUnknown: 'wachttijd onbekend',
  waitUnder: (max: number) => `minder dan ${max} minuten`,
  waitMinutes: (lo: number, hi: number) => `ongeveer ${lo}–${hi} minuten`,
  waitMinutesHours: (lo: number, hi: number) => `ongeveer ${lo} minuten tot ${hi} uur`,
  waitHours: (lo: number, hi: number) => `ongeveer ${lo}–${hi} uur`,

  rulesHeading: 'Voordat u begint',
  rulesChat: 'U chat met een medewerker van het klantcontactcentrum. Wees vriendelijk; wij zijn het ook.',
  /** `days` is the configured retention; null when the service did not say (never a guessed number). */
  rulesStored: (days: number | null) => days
    ? `Wij bewaren uw naam en berichten ${days} ${days === 1 ? 'dag' : 'dagen'}. Daarna verwijderen wij ze. Wij gebruiken ze alleen om uw vraag te beantwoorden.`
    : 'Wij bewaren uw naam en berichten niet langer dan nodig en verwijderen ze daarna. Wij gebruiken ze alleen om uw vraag te beantwoorden.',
  /** What the browser keeps (src/store.ts); `seconds`: how long the site's other tabs can take it up after the widget last ran. */
  rulesBrowser: (seconds: number) => `Deze browser onthoudt uw lopende gesprek (een verwijzing ernaar, niet de berichten) en berichten die nog niet verstuurd zijn, zodat u verder kunt als u het tabblad per ongeluk sluit. Wat u typt maar niet verstuurt, bewaart alleen dit tabblad, tot u het sluit. Eindigt het gesprek terwijl de chat open is, dan wordt het gewist. Verlaat u de website, dan is het gesprek hier nog ${seconds} seconden te openen. Daarna kan niemand het hier meer openen; wat nog bewaard is, wordt gewist zodra de chat op deze website weer wordt geladen. Op een gedeelde computer: beëindig het gesprek en kies daarna "Nieuwe vraag", dan blijft er niets achter.`,
  rulesBsn: 'Deel geen BSN of bankrekeningnummer in de chat. Wij verwijderen die uit uw bericht. Als het nodig is, vraagt de medewerker er op een veilige manier naar.',
  nameLabel: 'Uw naam (niet verplicht)',
  startChat: 'Start de chat',
  starting: 'De chat wordt gestart…',
  startError: 'Het lukt nu niet om de chat te starten.',
  /** The start failed for a passing reason (503 `unavailable`, another 5xx, no answer); `seconds` until the next try by itself. */
  startUnavailable: (seconds: number) =>
    `De chat is even niet beschikbaar. Wij proberen het over ${seconds} seconden vanzelf opnieuw. Wat u hebt ingevuld, blijft staan.`,
  /** The tries by itself are over; the resident can still try. */
  startStillUnavailable: 'De chat is nog steeds niet beschikbaar. Wat u hebt ingevuld, blijft staan. Probeer het over een paar minuten opnieuw.',
  retryNow: 'Opnieuw proberen',
  topicNowClosed: 'Dit onderwerp is net gesloten.',

  queueNumber: (p: number) => (p <= 1 ? 'U bent de volgende in de wachtrij.' : `U bent nummer ${p} in de wachtrij.`),
  queueWait: (range: string) => `Wachttijd: ${range}.`,
  activeWith: (name: string) => `U chat met ${name}.`,
  activeAnon: 'U chat met een medewerker.',
  typing: (name: string) => `${name} typt…`,
  agentFallback: 'Medewerker',
  you: 'U',
  system: 'Gemeente',
  messagesLabel: 'Berichten',
  messageLabel: 'Uw bericht',
  send: 'Verstuur',
  sending: 'wordt verstuurd',
  /** A message the chat could not store just now (the server said `unavailable`): it goes again by itself. */
  sendingAgain: 'de chat is even niet bereikbaar; wordt zo vanzelf opnieuw verstuurd',
  waitingForConnection: 'wacht op verbinding',
  notSent: 'niet verstuurd',
  notSentEnded: 'het gesprek was al beëindigd',
  retrySend: 'Opnieuw versturen',
  tooLong: (max: number) => `Uw bericht is te lang (hoogstens ${max} tekens).`,
  leave: 'Gesprek beëindigen',
  leaveConfirm: 'Wilt u het gesprek beëindigen?',
  leaveYes: 'Ja, beëindigen',
  leaveNo: 'Nee, doorgaan',

  connOnline: 'Verbonden',
  connConnecting: 'Verbinding maken…',
  connOffline: 'Geen verbinding. Wij proberen het opnieuw. Berichten die u nu typt, versturen wij zodra er weer verbinding is.',
  connGone: 'Dit gesprek is niet meer beschikbaar.',
  connOfflineShort: 'Geen verbinding',
  /** A reload (or another tab) without a connection: the browser keeps no history, the server brings it. */
  resumeOffline: 'Uw gesprek is er nog. Zodra er weer verbinding is, ziet u hier weer de berichten tot nu toe.',
  connBack: 'De verbinding is terug.',
  /** The server replaced this window's socket with a newer one of the same conversation. */
  connReplaced: 'Dit gesprek is in een ander venster of op een ander netwerk verder gegaan.',
  continueHere: 'Hier verder gaan',
  newMessage: (who: string) => `Nieuw bericht van ${who} in de chat.`,
  taken: (agent: string | null) => `${agent ?? 'Een medewerker'} heeft uw gesprek aangenomen.`,
  removeMessage: 'Bericht verwijderen',

  offerNoAgents: 'Er is nu geen medewerker beschikbaar. Wilt u dat wij u terugbellen? U houdt uw plek.',
  offerLongWait: 'Het is nu druk. Wilt u dat wij u terugbellen? U houdt uw plek.',
  offerClosing: 'Wij sluiten voordat u aan de beurt bent. Wilt u dat wij u terugbellen?',
  offerCapacity: 'Het is nu erg druk. Wilt u dat wij u terugbellen? U houdt uw plek.',
  offerOther: 'Wilt u dat wij u terugbellen? U houdt uw plek.',
  offerAccept: 'Bel mij terug',
  offerDismiss: 'Blijf wachten',
  /** The offer gone quiet: its reason no longer holds, or the resident chose to keep waiting. */
  offerQuiet: 'Liever teruggebeld worden?',
  /** Why an offer went, said once and politely; by the reason of the offer that was shown. */
  offerGoneNoAgents: 'Er is nu een medewerker beschikbaar.',
  offerGoneBusy: 'Het is minder druk geworden.',
  offerGoneClosing: 'U bent naar verwachting vóór sluitingstijd aan de beurt.',
  /** In the callback form over the chat, when the offer's reason went meanwhile. */
  callbackOfferGone: (why: string) => `${why} U kunt ook terug naar de chat en wachten.`,

  callbackHeading: 'Terugbelverzoek',
  callbackIntroClosed: (when: string | null) =>
    when ? `Dit onderwerp is nu gesloten. Wij zijn weer open ${when}. Laat uw telefoonnummer achter, dan bellen wij u terug.`
      : 'Dit onderwerp is nu gesloten. Laat uw telefoonnummer achter, dan bellen wij u terug.',
  /** The callback form from the topic list, by the reason the service gives (`callbackReason`). */
  callbackIntroBusy: 'Er is nu geen medewerker vrij voor de chat. Laat uw telefoonnummer achter, dan bellen wij u terug.',
  /** `wait`: the wait sentence, "Wachttijd: ongeveer 15–60 minuten." */
  callbackIntroLongWait: (wait: string) => `Het is nu druk in de chat. ${wait} Laat uw telefoonnummer achter, dan bellen wij u terug.`,
  /** Capacity flagged short, or the service turned the start away in a surge. */
  callbackIntroCapacity: 'Het is nu erg druk in de chat. Laat uw telefoonnummer achter, dan bellen wij u terug.',
  callbackIntroClosing: 'De chat sluit binnenkort, waarschijnlijk voordat u aan de beurt bent. Laat uw telefoonnummer achter, dan bellen wij u terug.',
  /** A reason the widget does not know, or none given: no claim about why. */
  callbackIntroOffered: 'Wilt u liever dat wij u terugbellen? Laat uw telefoonnummer achter, dan bellen wij u terug.',
  callbackIntroChat: 'Laat uw telefoonnummer achter, dan bellen wij u terug. U houdt uw plek.',
  callbackPrivacy: (days: number | null) => days
    ? `Wij gebruiken uw gegevens alleen om u terug te bellen en verwijderen ze ${days} ${days === 1 ? 'dag' : 'dagen'} nadat uw verzoek is afgehandeld.`
    : 'Wij gebruiken uw gegevens alleen om u terug te bellen en bewaren ze niet langer dan nodig nadat uw verzoek is afgehandeld.',
  chatAnyway: 'Toch chatten en wachten',
  backToChat: 'Terug naar de chat',
  callbackOverTaken: (agent: string | null) =>
    `${agent ?? 'Een medewerker'} heeft uw gesprek aangenomen. U kunt nu chatten; er is geen terugbelverzoek gemaakt.`,
  callbackOverEnded: 'Het gesprek is beëindigd; er is geen terugbelverzoek gemaakt.',
  callbackNoteKept: 'Wat u bij "Waar gaat het over?" schreef, staat in het berichtvak.',
  /** Sent from the form over the chat without a connection: nothing went, nothing typed is lost. */
  callbackOffline: 'Geen verbinding. Uw gegevens staan nog in het formulier; verstuur het opnieuw zodra er weer verbinding is.',
  phoneLabel: 'Telefoonnummer',
  phoneHint: 'Bijvoorbeeld 06 12345678 of +44 20 7946 0958',
  cbNameLabel: 'Naam (niet verplicht)',
  windowLegend: 'Wanneer mogen wij bellen?',
  windowAsap: 'Zo snel mogelijk',
  windowMorning: "'s Ochtends",
  windowAfternoon: "'s Middags",
  noteLabel: 'Waar gaat het over? (niet verplicht)',
  callbackSubmit: 'Vraag terugbellen aan',
  callbackSending: 'Het verzoek wordt verstuurd…',
  callbackMaybeLost: 'De verbinding was even weg; uw verzoek is misschien niet aangekomen. Verstuur het opnieuw.',
  callbackError: 'Het lukt nu niet om het verzoek te versturen.',
  /** The request failed for a passing reason (503 `unavailable`, another 5xx, no answer); what was filled in stays. */
  callbackUnavailable: 'Het lukt even niet om uw verzoek te versturen: de dienst is tijdelijk niet beschikbaar. Uw gegevens staan nog in het formulier. Probeer het over een paar seconden opnieuw.',
  formErrors: 'Controleer de gegevens.',
  phoneRequired: 'Vul een telefoonnummer in.',

  callbackDoneHeading: 'Wij bellen u terug',
  callbackDoneText: 'Uw terugbelverzoek is ontvangen.',
  /** The number as typed, right after sending. */
  callbackDoneNumber: (phone: string) => `Wij bellen u op ${phone}.`,
  /** After a reload: the number by its last digits only. */
  callbackDoneNumberEnd: (digits: string) => `Wij bellen u op het nummer dat eindigt op ${digits}.`,
  callbackDoneWindow: (w: string) => `Wanneer: ${w.toLowerCase()}.`,
  callbackReference: 'Uw referentie',
  callbackReferenceHint: 'Noem deze referentie als u ons belt over dit verzoek.',
  callbackCancel: 'Terugbelverzoek intrekken',
  callbackCancelConfirm: 'Wilt u uw terugbelverzoek intrekken? Wij bellen u dan niet.',
  callbackCancelYes: 'Ja, intrekken',
  callbackCancelNo: 'Nee, niet intrekken',
  callbackCancelled: 'Uw terugbelverzoek is ingetrokken.',
  callbackCancelError: 'Intrekken lukt nu niet. Probeer het opnieuw.',
  /** The request still stands, but this page only has the chat's token, which no longer opens it (docs/protocol.md §3). */
  callbackCancelAccessEnded: 'Uw terugbelverzoek staat nog, maar voor uw privacy kunt u het hier niet meer intrekken. '
    + 'Wilt u toch niet teruggebeld worden? Bel ons en noem uw referentie.',

  endedClosed: 'Het gesprek is beëindigd.',
  endedHiddenHeading: 'Dit gesprek is beëindigd.',
  endedHiddenText: 'Voor uw privacy tonen we het hier niet meer.',
  endedCallbackStands: 'Uw terugbelverzoek staat nog. Wilt u het intrekken of er iets over vragen? Bel ons en noem uw referentie:',
  endedLeft: 'U heeft het gesprek beëindigd.',
  endedTimeout: 'Het gesprek is gesloten omdat er een tijd geen bericht is gestuurd.',
  endedAbandoned: 'U staat niet meer in de wachtrij.',
  ratingLegend: 'Hoe tevreden bent u over dit gesprek? (1 = zeer ontevreden, 5 = zeer tevreden)',
  ratingComment: 'Toelichting (niet verplicht)',
  ratingSubmit: 'Beoordeling versturen',
  ratingChoose: 'Kies eerst een cijfer.',
  ratingThanks: 'Bedankt voor uw beoordeling.',
  ratingError: 'Versturen lukt nu niet. Probeer het opnieuw.',
  transcript: 'Download het gesprek',
  transcriptError: 'Downloaden lukt nu niet.',
  transcriptGone: 'Het gesprek is te lang geleden beëindigd om het hier nog te downloaden.',
  transcriptFile: 'gesprek-gemeente',
  newChat: 'Nieuwe vraag',
};

export type Strings = typeof nl;

const en: Strings = {
  launcher: 'Chat with the municipality',
  title: 'Chat with the municipality',
  closePanel: 'Close chat',
  back: 'Back',
  retry: 'Try again',
  loading: 'One moment…',

  topicsHeading: 'What is your question about?',
  topicsIntro: 'Choose a topic. We help you in the chat or call you back.',
  topicsError: 'We cannot load the topics right now.',
  topicOpen: 'Open now',
  topicClosed: 'Closed now',
  topicNextOpen: (when) => `Open again ${when}`,
  topicCallback: 'No agent free right now: we call you back',
  waitLabel: 'Waiting time',
  onlineHeading: 'You can also do this online',
  notice: 'Please note',
  departmentKinds: {
    reduced: 'Limited availability',
    appointment_only: 'By appointment only',
    unreachable: 'Not reachable',
  },
  noticeUntil: (when) => `until ${when}`,

  waitUnknown: 'waiting time unknown',
  waitUnder: (max) => `less than ${max} minutes`,
  waitMinutes: (lo, hi) => `about ${lo}–${hi} minutes`,
  waitMinutesHours: (lo, hi) => `about ${lo} minutes to ${hi} hours`,
  waitHours: (lo, hi) => `about ${lo}–${hi} hours`,

  rulesHeading: 'Before you start',
  rulesChat: 'You chat with an agent of the contact centre. Please be kind; we will be too.',
  rulesStored: (days) => days
    ? `We keep your name and messages for ${days} ${days === 1 ? 'day' : 'days'}, then delete them. We use them only to answer your question.`
    : 'We keep your name and messages no longer than needed, then delete them. We use them only to answer your question.',
  rulesBrowser: (seconds) => `This browser remembers your open conversation (a reference to it, not the messages) and messages not sent yet, so you can continue if you close the tab by mistake. What you type but do not send is kept by this tab only, until you close it. If the conversation ends while the chat is open, this is erased. If you leave the website, the conversation can still be opened here for ${seconds} seconds. After that nobody can open it here; whatever is still kept is erased as soon as the chat loads on this website again. On a shared computer: end the conversation and then choose "New question", and nothing is left behind.`,
  rulesBsn: 'Do not share your citizen service number (BSN) or bank account number in the chat. We remove them from your message. If needed, the agent asks for them in a safe way.',
  nameLabel: 'Your name (optional)',
  startChat: 'Start the chat',
  starting: 'Starting the chat…',
  startError: 'We cannot start the chat right now.',
  startUnavailable: (seconds) =>
    `The chat is briefly unavailable. We will try again by ourselves in ${seconds} seconds. What you entered stays.`,
  startStillUnavailable: 'The chat is still unavailable. What you entered stays. Please try again in a few minutes.',
  retryNow: 'Try again',
  topicNowClosed: 'This topic has just closed.',

  queueNumber: (p) => (p <= 1 ? 'You are next in the queue.' : `You are number ${p} in the queue.`),
  queueWait: (range) => `Waiting time: ${range}.`,
  activeWith: (name) => `You are chatting with ${name}.`,
  activeAnon: 'You are chatting with an agent.',
  typing: (name) => `${name} is typing…`,
  agentFallback: 'Agent',
  you: 'You',
  system: 'Municipality',
  messagesLabel: 'Messages',
  messageLabel: 'Your message',
  send: 'Send',
  sending: 'sending',
  sendingAgain: 'the chat is briefly unavailable; will be sent again shortly',
  waitingForConnection: 'waiting for connection',
  notSent: 'not sent',
  notSentEnded: 'the conversation had already ended',
  retrySend: 'Send again',
  tooLong: (max) => `Your message is too long (at most ${max} characters).`,
  leave: 'End conversation',
  leaveConfirm: 'Do you want to end the conversation?',
  leaveYes: 'Yes, end it',
  leaveNo: 'No, continue',

  connOnline: 'Connected',
  connConnecting: 'Connecting…',
  connOffline: 'No connection. We keep trying. Messages you type now are sent as soon as the connection is back.',
  connGone: 'This conversation is no longer available.',
  connOfflineShort: 'No connection',
  resumeOffline: 'Your conversation is still there. When the connection is back, you will see the messages so far here again.',
  connBack: 'The connection is back.',
  connReplaced: 'This conversation continued in another window or on another network.',
  continueHere: 'Continue here',
  newMessage: (who) => `New message from ${who} in the chat.`,
  taken: (agent) => `${agent ?? 'An agent'} has taken your conversation.`,
  removeMessage: 'Remove message',

  offerNoAgents: 'No agent is available right now. Would you like us to call you back? You keep your place.',
  offerLongWait: 'It is busy right now. Would you like us to call you back? You keep your place.',
  offerClosing: 'We close before it is your turn. Would you like us to call you back?',
  offerCapacity: 'It is very busy right now. Would you like us to call you back? You keep your place.',
  offerOther: 'Would you like us to call you back? You keep your place.',
  offerAccept: 'Call me back',
  offerDismiss: 'Keep waiting',
  offerQuiet: 'Rather be called back?',
  offerGoneNoAgents: 'An agent is available now.',
  offerGoneBusy: 'It is less busy now.',
  offerGoneClosing: 'You are expected to be helped before we close.',
  callbackOfferGone: (why) => `${why} You can also go back to the chat and wait.`,

  callbackHeading: 'Callback request',
  callbackIntroClosed: (when) =>
    when ? `This topic is closed now. We are open again ${when}. Leave your phone number and we will call you back.`
      : 'This topic is closed now. Leave your phone number and we will call you back.',
  callbackIntroBusy: 'No agent is free for the chat right now. Leave your phone number and we will call you back.',
  callbackIntroLongWait: (wait) => `It is busy in the chat right now. ${wait} Leave your phone number and we will call you back.`,
  callbackIntroCapacity: 'It is very busy in the chat right now. Leave your phone number and we will call you back.',
  callbackIntroClosing: 'The chat closes soon, probably before it is your turn. Leave your phone number and we will call you back.',
  callbackIntroOffered: 'Would you rather we call you back? Leave your phone number and we will call you back.',
  callbackIntroChat: 'Leave your phone number and we will call you back. You keep your place.',
  callbackPrivacy: (days) => days
    ? `We use your details only to call you back and delete them ${days} ${days === 1 ? 'day' : 'days'} after your request has been handled.`
    : 'We use your details only to call you back and keep them no longer than needed after your request has been handled.',
  chatAnyway: 'Chat and wait anyway',
  backToChat: 'Back to the chat',
  callbackOverTaken: (agent) => `${agent ?? 'An agent'} has taken your conversation. You can chat now; no callback request was made.`,
  callbackOverEnded: 'The conversation has ended; no callback request was made.',
  callbackNoteKept: 'What you wrote under "What is it about?" is in the message box.',
  callbackOffline: 'No connection. Your details are still in the form; send it again once the connection is back.',
  phoneLabel: 'Phone number',
  phoneHint: 'For example 06 12345678 or +44 20 7946 0958',
  cbNameLabel: 'Name (optional)',
  windowLegend: 'When may we call?',
  windowAsap: 'As soon as possible',
  windowMorning: 'In the morning',
  windowAfternoon: 'In the afternoon',
  noteLabel: 'What is it about? (optional)',
  callbackSubmit: 'Request a callback',
  callbackSending: 'Sending the request…',
  callbackMaybeLost: 'The connection dropped for a moment; your request may not have arrived. Please send it again.',
  callbackError: 'We cannot send the request right now.',
  callbackUnavailable: 'We could not send your request: the service is briefly unavailable. Your details are still in the form. Please try again in a few seconds.',
  formErrors: 'Please check the details.',
  phoneRequired: 'Enter a phone number.',

  callbackDoneHeading: 'We will call you back',
  callbackDoneText: 'We have received your callback request.',
  callbackDoneNumber: (phone) => `We will call you on ${phone}.`,
  callbackDoneNumberEnd: (digits) => `We will call you on the number ending in ${digits}.`,
  callbackDoneWindow: (w) => `When: ${w.toLowerCase()}.`,
  callbackReference: 'Your reference',
  callbackReferenceHint: 'Quote this reference if you phone us about this request.',
  callbackCancel: 'Cancel callback request',
  callbackCancelConfirm: 'Do you want to cancel your callback request? We will then not call you.',
  callbackCancelYes: 'Yes, cancel it',
  callbackCancelNo: 'No, keep it',
  callbackCancelled: 'Your callback request has been cancelled.',
  callbackCancelError: 'Cancelling does not work right now. Please try again.',
  callbackCancelAccessEnded: 'Your callback request still stands, but for your privacy it can no longer be cancelled here. '
    + 'If you no longer want a call, phone us and quote your reference.',

  endedClosed: 'The conversation has ended.',
  endedHiddenHeading: 'This conversation has ended.',
  endedHiddenText: 'For your privacy it is no longer shown here.',
  endedCallbackStands: 'Your callback request still stands. To cancel it or ask about it, phone us and quote your reference:',
  endedLeft: 'You ended the conversation.',
  endedTimeout: 'The conversation was closed because no message was sent for a while.',
  endedAbandoned: 'You are no longer in the queue.',
  ratingLegend: 'How satisfied are you with this conversation? (1 = very dissatisfied, 5 = very satisfied)',
  ratingComment: 'Comment (optional)',
  ratingSubmit: 'Send rating',
  ratingChoose: 'Choose a score first.',
  ratingThanks: 'Thank you for your rating.',
  ratingError: 'Sending does not work right now. Please try again.',
  transcript: 'Download the conversation',
  transcriptError: 'Downloading does not work right now.',
  transcriptGone: 'The conversation ended too long ago to download it here.',
  transcriptFile: 'conversation-municipality',
  newChat: 'New question',
};

export const STRINGS: Record<Lang, Strings> = { nl, en };

export function pickLang(value: string | null | undefined): Lang {
  return value && value.toLowerCase().startsWith('en') ? 'en' : 'nl';
}

/**
 * The API writes its human messages as "Nederlands / English". Show the resident's half;
 * a message without the separator is shown whole.
 */
export function serverText(message: string | null | undefined, lang: Lang): string {
  if (!message) return '';
  const parts = message.split(' / ');
  if (parts.length === 2) return (lang === 'en' ? parts[1] : parts[0]).trim();
  return message;
}
