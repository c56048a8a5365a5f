import type { DraftValidation, TemplateParts } from './draftParts';

/**
 * What the console's editor pages hand their scripts (as JSON in the page, never run), and what the
 * editors' calls answer: one definition for the server that writes it and the browser code that reads it.
 */

export interface EditorUrls {
  /** Save the draft (editors): POST {revision?, parts, …}. */
  save: string;
  publish: string;
  /** The page to open after a new draft's first save. */
  edit?: string;
}

export interface TemplateEditorData {
  name: string;
  revision: number;
  savedAt?: string;
  savedBy?: string;
  parts: TemplateParts;
  validation: DraftValidation;
  /** The version sending now, as parts: what the diff before publishing compares with. */
  published?: { version: string; parts: TemplateParts };
  locales: readonly string[];
  fieldTypes: readonly string[];
  levels: readonly string[];
  shopName: string;
  canEdit: boolean;
  canPublish: boolean;
  requireApproval: boolean;
  csrf: string;
  urls: EditorUrls & { preview: string; testSend: string };
}

export interface TemplatePreviewAnswer {
  revision?: number;
  validation: DraftValidation;
  preview?: {
    locale: string;
    sample: string;
    samples: string[];
    subject: string;
    preheader: string;
    html: string;
    text: string;
    fieldsUsed: string[];
  };
  previewError?: string;
  error?: { path: string; message: string };
  current?: { revision: number; savedAt: string; savedBy: string; changed?: string[] };
}

/** Everything a campaign form offers to choose from, from the server's own lists. */
export interface CampaignChoices {
  eventTypes: readonly string[];
  eventConditions: readonly string[];
  operators: readonly string[];
  topics: readonly string[];
  journeyKeys: readonly string[];
  levels: readonly string[];
  locales: readonly string[];
  templates: readonly string[];
  /** Facts a condition may test (a list to pick from; others may be typed). */
  facts: readonly string[];
}

export interface CampaignEditorData {
  /** Undefined for a new campaign: its id comes from the form. */
  id?: string;
  revision: number;
  savedAt?: string;
  savedBy?: string;
  parts: Record<string, unknown>;
  validation: DraftValidation;
  /** The running version's number, when there is one. */
  running?: number;
  choices: CampaignChoices;
  canEdit: boolean;
  canPublish: boolean;
  csrf: string;
  /** `{id}` stands for the campaign's id in each. */
  urls: { save: string; publish: string; simulate: string; edit: string; view: string };
}

/** What the campaign editor's simulation answers (the fields of SimulationResult it shows), with each reason in words. */
export interface CampaignSimulationAnswer {
  simulation?: {
    customers: number;
    wouldSend: number;
    notSent: Record<string, number>;
    samples: { locale: string; variant: string; subject: string; html: string }[];
  };
  reasons?: Record<string, string>;
  validation?: DraftValidation;
  error?: { path: string; message: string };
}
