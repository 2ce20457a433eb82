(select) => [...select.options].map((option) => option.label)
